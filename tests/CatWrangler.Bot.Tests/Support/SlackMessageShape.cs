using System.Text.Json;

namespace CatWrangler.Bot.Tests.Support;

/// <summary>
/// Checks a message posted to a <c>response_url</c> against the fields Slack documents for message responses
/// ("Handling user interaction", message_responses): <c>text</c> (or blocks/attachments), <c>response_type</c>
/// <c>ephemeral</c> or <c>in_channel</c>, and the booleans <c>replace_original</c> / <c>delete_original</c>.
/// </summary>
internal static class SlackMessageShape
{
    private static readonly HashSet<string> DocumentedFields =
        ["text", "blocks", "attachments", "response_type", "replace_original", "delete_original", "thread_ts", "mrkdwn"];

    public static void AssertResponseUrlMessage(JsonElement message)
    {
        Assert.Equal(JsonValueKind.Object, message.ValueKind);
        Assert.All(message.EnumerateObject(), p => Assert.Contains(p.Name, DocumentedFields));
        Assert.False(string.IsNullOrWhiteSpace(message.GetProperty("text").GetString()));
        if (message.TryGetProperty("response_type", out var type))
        {
            Assert.Contains(type.GetString(), new[] { "ephemeral", "in_channel" });
        }

        foreach (var flag in new[] { "replace_original", "delete_original" })
        {
            if (message.TryGetProperty(flag, out var value))
            {
                Assert.True(value.ValueKind is JsonValueKind.True or JsonValueKind.False, $"{flag} must be a JSON boolean");
            }
        }
    }
}
