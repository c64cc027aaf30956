using System.Text.Json;
using System.Text.Json.Serialization;

namespace CatWrangler.Slack.Api;

/// <summary>JSON settings for Slack payloads (snake_case, nulls omitted).</summary>
public static class SlackJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
