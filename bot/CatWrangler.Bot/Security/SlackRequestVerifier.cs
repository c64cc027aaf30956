using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CatWrangler.Bot.Security;

/// <summary>
/// The one verifier for Slack's <c>v0</c> scheme: HMAC-SHA256 of <c>v0:{timestamp}:{raw body}</c> with the signing secret,
/// hex-encoded, compared in constant time; the timestamp must lie within the tolerance of now (replay guard).
/// </summary>
public sealed class SlackRequestVerifier(TimeProvider time)
{
    public const string SignatureHeader = "X-Slack-Signature";
    public const string TimestampHeader = "X-Slack-Request-Timestamp";
    private const string Version = "v0";

    public SlackVerification Verify(string? signingSecret, string? timestamp, string? signature, ReadOnlySpan<byte> body, TimeSpan tolerance)
    {
        if (string.IsNullOrEmpty(signingSecret))
        {
            // A missing secret is a deployment error; refusing keeps an unconfigured bot from accepting forged events.
            return new SlackVerification.Invalid("The Slack signing secret is not configured.");
        }

        if (string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature))
        {
            return new SlackVerification.Invalid($"The {TimestampHeader} and {SignatureHeader} headers are required.");
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return new SlackVerification.Invalid($"{TimestampHeader} is not a Unix time in seconds.");
        }

        var age = time.GetUtcNow().ToUnixTimeSeconds() - seconds;
        if (Math.Abs(age) > tolerance.TotalSeconds)
        {
            return new SlackVerification.Invalid($"{TimestampHeader} is outside the {tolerance.TotalMinutes:0}-minute window.");
        }

        if (!signature.StartsWith(Version + "=", StringComparison.Ordinal))
        {
            return new SlackVerification.Invalid($"{SignatureHeader} must start with '{Version}='.");
        }

        var expected = Sign(signingSecret, timestamp, body);
        var given = Encoding.ASCII.GetBytes(signature);
        return CryptographicOperations.FixedTimeEquals(expected, given)
            ? SlackVerification.Ok
            : new SlackVerification.Invalid("The signature does not match the request body.");
    }

    /// <summary>The ASCII bytes of <c>v0=&lt;hex&gt;</c> for the given request.</summary>
    public static byte[] Sign(string signingSecret, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{Version}:{timestamp}:");
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(signingSecret));
        hmac.AppendData(prefix);
        hmac.AppendData(body);
        var mac = hmac.GetHashAndReset();
        return Encoding.ASCII.GetBytes(Version + "=" + Convert.ToHexStringLower(mac));
    }
}
