using System.ComponentModel.DataAnnotations;
using System.Net;
using CatWrangler.Core.Net;

namespace CatWrangler.Core.Pipeline;

/// <summary>Section <c>CatWrangler:Callbacks</c>.</summary>
public sealed record CallbackOptions
{
    public const string Section = "CatWrangler:Callbacks";

    /// <summary>Allows http and loopback/private/link-local callback targets (local development only).</summary>
    public bool AllowPrivateNetworks { get; init; }

    /// <summary>Deliveries in flight at once, over all receivers (the delivery pool's size).</summary>
    [Range(1, int.MaxValue)]
    public int MaxConcurrentDeliveries { get; init; } = 16;

    /// <summary>Deliveries in flight at once to one receiver (scheme, host and port), so one slow receiver cannot take the pool.</summary>
    [Range(1, int.MaxValue)]
    public int MaxConcurrentPerDestination { get; init; } = 2;
}

/// <summary>
/// Which callback URLs are acceptable. The accept path checks the URL as written (scheme, literal addresses, localhost);
/// the deliverer checks every address the host name resolves to, when it connects.
/// </summary>
public sealed class CallbackUrlPolicy(CallbackOptions options)
{
    public const int MaxLength = 2048;

    /// <summary>
    /// Null when acceptable, else a sentence saying why not, naming the URL as <paramref name="field"/>. The same rules hold
    /// for every URL the service fetches or posts to for a caller (callbacks, images by URL).
    /// </summary>
    public string? Validate(string url, string field = "callback_url")
    {
        if (url.Length > MaxLength || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return $"{field} must be an absolute URL of at most 2048 characters.";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return $"{field} must not contain credentials.";
        }

        if (options.AllowPrivateNetworks)
        {
            return uri.Scheme is "https" or "http" ? null : $"{field} must use https or http.";
        }

        if (uri.Scheme != "https")
        {
            return $"{field} must use https.";
        }

        var host = uri.IdnHost;
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return $"{field} must not point at this machine.";
        }

        return IPAddress.TryParse(host, out var address) && SpecialPurposeAddresses.Contains(address)
            ? $"{field} must not point at a loopback, private, link-local or other special-purpose address."
            : null;
    }
}
