using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using CatWrangler.Bot.Security;

namespace CatWrangler.Bot.Tests.Support;

/// <summary>Builds requests the way Slack sends them: raw bytes, signed with the signing secret.</summary>
internal static class SlackSigning
{
    public const string Secret = "test-signing-secret-0123456789abcdef";

    public static HttpRequestMessage Signed(string path, string body, string mediaType, DateTimeOffset? at = null, string secret = Secret)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var ts = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        request.Headers.Add(SlackRequestVerifier.TimestampHeader, ts);
        request.Headers.Add(SlackRequestVerifier.SignatureHeader, Encoding.ASCII.GetString(SlackRequestVerifier.Sign(secret, ts, bytes)));
        return request;
    }

    public static HttpRequestMessage Event(string json, int? retryNum = null)
    {
        var request = Signed("/slack/events", json, "application/json");
        if (retryNum is { } n)
        {
            request.Headers.Add("X-Slack-Retry-Num", n.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("X-Slack-Retry-Reason", "http_timeout");
        }

        return request;
    }

    public static HttpRequestMessage Command(string text, string userId, string channelId, string responseUrl)
    {
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = "deprecated-verification-token",
            ["team_id"] = Fixtures.TeamId,
            ["team_domain"] = "catlovers",
            ["channel_id"] = channelId,
            ["channel_name"] = "general",
            ["user_id"] = userId,
            ["user_name"] = "someone",
            ["command"] = "/catscan",
            ["text"] = text,
            ["api_app_id"] = "A0CATSCAN",
            ["response_url"] = responseUrl,
            ["trigger_id"] = "13345224609.738474920.8088930838d88f008e0",
        });
        var body = form.ReadAsStringAsync().GetAwaiter().GetResult();
        return Signed("/slack/commands", body, "application/x-www-form-urlencoded");
    }
}
