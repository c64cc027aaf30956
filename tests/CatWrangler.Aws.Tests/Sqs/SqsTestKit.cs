using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace CatWrangler.Aws.Tests.Sqs;

/// <summary>Receives from the emulator and shapes messages the way Lambda's SQS event source hands them over.</summary>
internal static class SqsTestKit
{
    /// <summary>Receives until <paramref name="count"/> messages arrived or <paramref name="timeout"/> passed.</summary>
    public static async Task<List<Message>> ReceiveAsync(IAmazonSQS sqs, string queueUrl, int count, TimeSpan timeout)
    {
        var received = new List<Message>();
        var deadline = DateTime.UtcNow + timeout;
        while (received.Count < count && DateTime.UtcNow < deadline)
        {
            var response = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest
            {
                QueueUrl = queueUrl,
                MaxNumberOfMessages = Math.Min(10, count - received.Count),
                WaitTimeSeconds = 0,
                MessageAttributeNames = ["All"],
                MessageSystemAttributeNames = ["All"],
            });

            // SDK v4 leaves Messages null when the queue is empty.
            if (response.Messages is { Count: > 0 } messages)
            {
                received.AddRange(messages);
            }
            else
            {
                await Task.Delay(100);
            }
        }

        return received;
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

    public static async Task<string> QueueArnAsync(IAmazonSQS sqs, string queueUrl)
        => (await sqs.GetQueueAttributesAsync(queueUrl, ["QueueArn"])).Attributes["QueueArn"];

    public static IReadOnlyList<string> FailedIds(string responseJson)
        => [.. JsonDocument.Parse(responseJson).RootElement.GetProperty("batchItemFailures").EnumerateArray().Select(e => e.GetProperty("itemIdentifier").GetString()!)];
}
