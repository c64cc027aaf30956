using System.Text.Json.Serialization;

namespace CatWrangler.Processor.Sqs;

/// <summary>One record of the Lambda SQS event (<c>{"Records":[…]}</c>) as the Web Adapter passes it through (the fields we use).</summary>
public sealed record SqsEventRecord(
    [property: JsonPropertyName("messageId")] string MessageId,
    [property: JsonPropertyName("receiptHandle")] string? ReceiptHandle,
    [property: JsonPropertyName("body")] string? Body,
    [property: JsonPropertyName("attributes")] IReadOnlyDictionary<string, string>? Attributes,
    [property: JsonPropertyName("eventSource")] string? EventSource = null,
    [property: JsonPropertyName("eventSourceARN")] string? EventSourceArn = null)
{
    /// <summary>SQS's <c>ApproximateReceiveCount</c>; 1 when absent.</summary>
    public int ReceiveCount
        => Attributes is not null && Attributes.TryGetValue("ApproximateReceiveCount", out var text) && int.TryParse(text, out var count) && count > 0
            ? count
            : 1;
}
