using Amazon.SQS;
using Amazon.SQS.Model;
using CatWrangler.Core.Ports;

namespace CatWrangler.Adapters.Aws;

/// <summary>
/// Work items as SQS messages. Delays up to 15 minutes use <c>DelaySeconds</c>; longer ones (callback retries of hours)
/// are sent with the 15-minute maximum plus a <see cref="SqsWorkMessage.NotBefore"/> and re-enqueued by the consumer
/// until due, because extending visibility would count as a receive and push the message towards the DLQ.
/// </summary>
public sealed class SqsWorkQueue(IAmazonSQS sqs, AwsOptions options, TimeProvider time) : IWorkQueue
{
    /// <summary>SQS's maximum <c>DelaySeconds</c>.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(15);

    /// <summary>SQS's maximum visibility timeout.</summary>
    public static readonly TimeSpan MaxVisibility = TimeSpan.FromHours(12);

    public Task EnqueueAsync(WorkItem item, TimeSpan delay, CancellationToken cancellationToken)
        => SendAsync(item, delay > MaxDelay ? time.GetUtcNow() + delay : null, delay, cancellationToken);

    /// <summary>Sends <paramref name="message"/> again for the time left until its <see cref="SqsWorkMessage.NotBefore"/>.</summary>
    public Task HopAsync(SqsWorkMessage message, CancellationToken cancellationToken)
    {
        var remaining = (message.NotBefore ?? time.GetUtcNow()) - time.GetUtcNow();
        return SendAsync(message.ToWorkItem(), remaining > MaxDelay ? message.NotBefore : null, remaining, cancellationToken);
    }

    /// <summary>Hides a received message for <paramref name="delay"/> (capped at 12 h): the retry path for a transient failure.</summary>
    public Task ChangeVisibilityAsync(string receiptHandle, TimeSpan delay, CancellationToken cancellationToken)
        => sqs.ChangeMessageVisibilityAsync(new ChangeMessageVisibilityRequest
        {
            QueueUrl = options.QueueUrl,
            ReceiptHandle = receiptHandle,
            VisibilityTimeout = (int)Math.Clamp(Math.Ceiling(delay.TotalSeconds), 0, MaxVisibility.TotalSeconds),
        }, cancellationToken);

    /// <summary>
    /// Receives up to <paramref name="max"/> messages, waiting up to <paramref name="wait"/> for the first (a long poll).
    /// For running the processor as a plain process; on Lambda the event source mapping receives instead.
    /// </summary>
    public async Task<IReadOnlyList<SqsReceivedMessage>> ReceiveAsync(int max, TimeSpan wait, CancellationToken cancellationToken)
    {
        var response = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest
        {
            QueueUrl = options.QueueUrl,
            MaxNumberOfMessages = Math.Clamp(max, 1, 10),
            WaitTimeSeconds = (int)Math.Clamp(wait.TotalSeconds, 0, 20),
            MessageSystemAttributeNames = ["ApproximateReceiveCount"],
        }, cancellationToken);

        // SDK v4 leaves Messages (and Attributes) null when there are none.
        return response.Messages is null
            ? []
            : [.. response.Messages.Select(m => new SqsReceivedMessage(
                m.MessageId,
                m.ReceiptHandle,
                m.Body,
                m.Attributes is not null && m.Attributes.TryGetValue("ApproximateReceiveCount", out var count) && int.TryParse(count, out var n) ? n : 1))];
    }

    public Task DeleteAsync(string receiptHandle, CancellationToken cancellationToken)
        => sqs.DeleteMessageAsync(options.QueueUrl, receiptHandle, cancellationToken);

    private async Task SendAsync(WorkItem item, DateTimeOffset? notBefore, TimeSpan delay, CancellationToken cancellationToken)
    {
        var seconds = (int)Math.Clamp(Math.Ceiling(delay.TotalSeconds), 0, MaxDelay.TotalSeconds);
        await sqs.SendMessageAsync(new SendMessageRequest
        {
            QueueUrl = options.QueueUrl,
            MessageBody = SqsWorkMessage.From(item, notBefore).ToJson(),
            DelaySeconds = seconds,
            // Attributes let operators filter and inspect messages (e.g. in the DLQ) without parsing bodies.
            MessageAttributes = new Dictionary<string, MessageAttributeValue>
            {
                ["scanId"] = new() { DataType = "String", StringValue = item.ScanId },
                ["kind"] = new() { DataType = "String", StringValue = item.Kind.ToString() },
            },
        }, cancellationToken);
    }
}
