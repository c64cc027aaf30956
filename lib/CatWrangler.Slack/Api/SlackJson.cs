using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace CatWrangler.Slack.Api;

/// <summary>JSON settings for Slack payloads (snake_case, nulls omitted).</summary>
public static class SlackJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Types no context names (Socket Mode frames) still serialize where reflection exists; an AOT host needs them listed.
        TypeInfoResolver = JsonSerializer.IsReflectionEnabledByDefault
            ? JsonTypeInfoResolver.Combine(SlackJsonContext.Default, SlackWebApiClient.UploadJson, new DefaultJsonTypeInfoResolver())
            : JsonTypeInfoResolver.Combine(SlackJsonContext.Default, SlackWebApiClient.UploadJson),
    };

    /// <summary>The metadata for <typeparamref name="T"/>: serializing through it needs no reflection.</summary>
    public static JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));
}
