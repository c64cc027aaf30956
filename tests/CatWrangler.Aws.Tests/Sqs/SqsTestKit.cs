using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.SQS;
using Amazon.SQS.Model;
using CatWrangler.TestSupport;

namespace CatWrangler.Aws.Tests.Sqs;

/// <summary>Receives from the emulator and shapes messages the way Lambda's SQS event source hands them over.</summary>
internal static class SqsTestKit
{
    /// <summary>Receives until <paramref name="count"/> messages arrived; fails the test after <paramref name="timeout"/>.</summary>
    public static async Task<List<Message>> ReceiveAsync(IAmazonSQS sqs, string queueUrl, int count, TimeSpan timeout)
    {
        var received = new List<Message>();
        await Eventually.TrueAsync(
            async () =>
            {
                received.AddRange(await ReceiveNowAsync(sqs, queueUrl, count - received.Count));
                return received.Count >= count;
            },
            timeout,
            $"{count} message(s) did not arrive on {queueUrl}");
        return received;
    }

    /// <summary>One receive that does not wait: what is visible on the queue right now (at most <paramref name="max"/>).</summary>
    public static async Task<IReadOnlyList<Message>> ReceiveNowAsync(IAmazonSQS sqs, string queueUrl, int max = 10)
    {
        var response = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest
        {
            QueueUrl = queueUrl,
            MaxNumberOfMessages = Math.Clamp(max, 1, 10),
            WaitTimeSeconds = 0,
            MessageAttributeNames = ["All"],
            MessageSystemAttributeNames = ["All"],
        });

        // SDK v4 leaves Messages null when the queue is empty.
        return response.Messages ?? [];
    }

    /// <summary>What the queue holds right now, by state.</summary>
    public static async Task<QueueCounts> CountsAsync(IAmazonSQS sqs, string queueUrl)
    {
        var attributes = (await sqs.GetQueueAttributesAsync(queueUrl, [Visible, InFlight, Delayed])).Attributes;
        return new QueueCounts(int.Parse(attributes[Visible], CultureInfo.InvariantCulture), int.Parse(attributes[InFlight], CultureInfo.InvariantCulture), int.Parse(attributes[Delayed], CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Waits until no message is in flight or delayed (every receive has been deleted, failed back or moved to the dead-letter
    /// queue) and returns what is left visible: the queue has settled, so a message that would come back already has.
    /// </summary>
    public static async Task<int> SettledAsync(IAmazonSQS sqs, string queueUrl, TimeSpan timeout)
    {
        var counts = await Eventually.ValueAsync(() => CountsAsync(sqs, queueUrl), c => c.InFlight == 0 && c.Delayed == 0, timeout, $"{queueUrl} did not settle");
        return counts.Visible;
    }

    /// <summary>
    /// The Lambda SQS event for <paramref name="messages"/>. local-aws-sqs never reports ApproximateReceiveCount,
    /// so the caller passes the count it observed (Lambda fills it from SQS).
    /// </summary>
    public static string LambdaEvent(string queueArn, IEnumerable<(Message Message, int ReceiveCount)> messages)
    {
        var records = new JsonArray();
        foreach (var (message, receiveCount) in messages)
        {
            var attributes = new JsonObject
            {
                ["ApproximateReceiveCount"] = receiveCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["SentTimestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            var messageAttributes = new JsonObject();
            foreach (var (name, value) in message.MessageAttributes ?? [])
            {
                messageAttributes[name] = new JsonObject { ["stringValue"] = value.StringValue, ["dataType"] = value.DataType };
            }

            records.Add(new JsonObject
            {
                ["messageId"] = message.MessageId,
                ["receiptHandle"] = message.ReceiptHandle,
                ["body"] = message.Body,
                ["attributes"] = attributes,
                ["messageAttributes"] = messageAttributes,
                ["md5OfBody"] = message.MD5OfBody,
                ["eventSource"] = "aws:sqs",
                ["eventSourceARN"] = queueArn,
                ["awsRegion"] = "us-east-1",
            });
        }

        return new JsonObject { ["Records"] = records }.ToJsonString();
    }

    private const string Visible = "ApproximateNumberOfMessages";
    private const string InFlight = "ApproximateNumberOfMessagesNotVisible";
    private const string Delayed = "ApproximateNumberOfMessagesDelayed";

    public static async Task<string> QueueArnAsync(IAmazonSQS sqs, string queueUrl)
        => (await sqs.GetQueueAttributesAsync(queueUrl, ["QueueArn"])).Attributes["QueueArn"];

    public static IReadOnlyList<string> FailedIds(string responseJson)
        => [.. JsonDocument.Parse(responseJson).RootElement.GetProperty("batchItemFailures").EnumerateArray().Select(e => e.GetProperty("itemIdentifier").GetString()!)];
}
