using System.Text.Json;
using System.Text.Json.Serialization;
using CatWrangler.Core.Json;
using CatWrangler.Core.Ports;

namespace CatWrangler.Adapters.Aws;

/// <summary>
/// The body of a work message on SQS. <see cref="NotBefore"/> carries delays longer than SQS's 15-minute
/// <c>DelaySeconds</c>: a consumer that receives the message early re-enqueues it for the remaining time (a "hop").
/// </summary>
public sealed record SqsWorkMessage(string ScanId, WorkKind Kind, int DeliveryAttempt = 0, DateTimeOffset? NotBefore = null, string? Payload = null)
{
    public WorkItem ToWorkItem() => new(ScanId, Kind, DeliveryAttempt, Payload);

    public static SqsWorkMessage From(WorkItem item, DateTimeOffset? notBefore) => new(item.ScanId, item.Kind, item.DeliveryAttempt, notBefore, item.Payload);

    public string ToJson() => JsonSerializer.Serialize(this, AwsJsonContext.WorkMessage);

    /// <summary>The message, or null when the body is not a work message (a poison message: nothing can ever process it).</summary>
    public static SqsWorkMessage? TryParse(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            var message = JsonSerializer.Deserialize(body, AwsJsonContext.WorkMessage);
            return message is { ScanId.Length: > 0 } && Enum.IsDefined(message.Kind) ? message : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
