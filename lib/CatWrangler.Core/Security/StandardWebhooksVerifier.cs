using System.Security.Cryptography;

namespace CatWrangler.Core.Security;

/// <summary>
/// A Standard Webhooks signature check computed while the body streams: one HMAC per candidate secret (several during
/// rotation) is fed each chunk, so a body never has to be held in full before its signature is known to be wrong.
/// </summary>
public sealed class StandardWebhooksVerifier : IDisposable
{
    private readonly List<IncrementalHash> _macs;

    private StandardWebhooksVerifier(List<IncrementalHash> macs) => _macs = macs;

    /// <summary>Starts the HMACs of <c>{id}.{timestamp}.</c>; check the timestamp first (<see cref="StandardWebhooksSignature.CheckTimestamp"/>).</summary>
    public static StandardWebhooksVerifier Start(IEnumerable<string> secrets, string id, string timestamp)
    {
        if (!StandardWebhooksSignature.TryParseTimestamp(timestamp, out var seconds))
        {
            throw new ArgumentException("webhook-timestamp must be Unix seconds.", nameof(timestamp));
        }

        var macs = new List<IncrementalHash>();
        foreach (var secret in secrets)
        {
            byte[] key;
            try
            {
                key = StandardWebhooksSignature.SecretKey(secret);
            }
            catch (FormatException)
            {
                continue; // a malformed configured secret can never match
            }

            macs.Add(StandardWebhooksSignature.StartMac(key, id, seconds));
        }

        return new StandardWebhooksVerifier(macs);
    }

    public void Append(ReadOnlySpan<byte> chunk)
    {
        foreach (var mac in _macs)
        {
            mac.AppendData(chunk);
        }
    }

    /// <summary>True when any offered <c>v1,</c> signature equals the HMAC of any secret (constant-time comparison). Call once.</summary>
    public bool Matches(string signatureHeader)
    {
        var offered = StandardWebhooksSignature.OfferedSignatures(signatureHeader);
        var matched = false;
        foreach (var mac in _macs)
        {
            var expected = mac.GetHashAndReset();
            foreach (var candidate in offered)
            {
                matched |= CryptographicOperations.FixedTimeEquals(expected, candidate);
            }
        }

        return matched;
    }

    public void Dispose()
    {
        foreach (var mac in _macs)
        {
            mac.Dispose();
        }
    }
}
