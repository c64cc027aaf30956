using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CatWrangler.Core.Security;

/// <summary>
/// Standard Webhooks signatures (https://www.standardwebhooks.com/): <c>v1,base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}"))</c>
/// with the key from a <c>whsec_</c> secret. The one signer and verifier of the scheme: inbound API requests and outbound
/// callbacks. It works on raw body bytes (image uploads are not text, so the StandardWebhooks package's string API
/// does not fit) and takes the current time from the caller.
/// </summary>
public static class StandardWebhooksSignature
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";
    public const string SecretPrefix = "whsec_";

    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    /// <summary>The <c>webhook-signature</c> header value for one secret.</summary>
    public static string Sign(string secret, string id, DateTimeOffset timestamp, ReadOnlySpan<byte> body)
        => "v1," + Convert.ToBase64String(Mac(SecretKey(secret), id, timestamp.ToUnixTimeSeconds(), body));

    /// <summary>
    /// Verifies the three headers against any of <paramref name="secrets"/> (several during rotation).
    /// Constant-time comparison; the timestamp must be within <paramref name="tolerance"/> of <paramref name="now"/>.
    /// </summary>
    public static SignatureCheck Verify(
        IEnumerable<string> secrets,
        string? id,
        string? timestamp,
        string? signatureHeader,
        ReadOnlySpan<byte> body,
        DateTimeOffset now,
        TimeSpan? tolerance = null)
    {
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signatureHeader))
        {
            return SignatureCheck.MissingHeaders;
        }

        var freshness = CheckTimestamp(timestamp, now, tolerance);
        if (freshness != SignatureCheck.Valid)
        {
            return freshness;
        }

        using var verifier = StandardWebhooksVerifier.Start(secrets, id, timestamp);
        verifier.Append(body);
        return verifier.Matches(signatureHeader) ? SignatureCheck.Valid : SignatureCheck.NoMatch;
    }

    /// <summary>
    /// <see cref="SignatureCheck.Valid"/> when <paramref name="timestamp"/> is Unix seconds within <paramref name="tolerance"/> of
    /// <paramref name="now"/>; any other number (also one past year 9999) is <see cref="SignatureCheck.Expired"/>, never an exception.
    /// </summary>
    public static SignatureCheck CheckTimestamp(string? timestamp, DateTimeOffset now, TimeSpan? tolerance = null)
    {
        if (!TryParseTimestamp(timestamp, out var seconds))
        {
            return SignatureCheck.BadTimestamp;
        }

        // Compared in seconds: DateTimeOffset.FromUnixTimeSeconds throws for values past year 9999.
        var skew = Math.Abs(now.ToUnixTimeSeconds() - seconds);
        return skew > (tolerance ?? DefaultTolerance).TotalSeconds ? SignatureCheck.Expired : SignatureCheck.Valid;
    }

    internal static bool TryParseTimestamp(string? timestamp, out long seconds)
    {
        seconds = 0;
        return timestamp is { Length: > 0 and <= 18 } && long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out seconds);
    }

    /// <summary>A new random secret in <c>whsec_</c> form (24 random bytes).</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));

    internal static byte[] SecretKey(string secret)
        => Convert.FromBase64String(secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret);

    private static byte[] Mac(byte[] key, string id, long timestamp, ReadOnlySpan<byte> body)
    {
        using var hmac = StartMac(key, id, timestamp);
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }

    /// <summary>An HMAC that has consumed the <c>{id}.{timestamp}.</c> prefix; the body is appended as it arrives.</summary>
    internal static IncrementalHash StartMac(byte[] key, string id, long timestamp)
    {
        var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{id}.{timestamp}.")));
        return hmac;
    }

    /// <summary>The header holds space-separated <c>v1,&lt;base64&gt;</c> entries; other versions are ignored.</summary>
    internal static List<byte[]> OfferedSignatures(string header)
    {
        var result = new List<byte[]>();
        foreach (var entry in header.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!entry.StartsWith("v1,", StringComparison.Ordinal))
            {
                continue;
            }

            var buffer = new byte[32];
            if (Convert.TryFromBase64String(entry[3..], buffer, out var written) && written == 32)
            {
                result.Add(buffer);
            }
        }

        return result;
    }
}
