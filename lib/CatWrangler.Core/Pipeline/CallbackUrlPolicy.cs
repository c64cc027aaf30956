using System.Net;

namespace CatWrangler.Core.Pipeline;

/// <summary>Section <c>CatWrangler:Callbacks</c>.</summary>
public sealed record CallbackOptions
{
    public const string Section = "CatWrangler:Callbacks";

    /// <summary>Allows http and loopback/private/link-local callback targets (local development only).</summary>
    public bool AllowPrivateNetworks { get; init; }
}

/// <summary>
/// Which callback URLs are acceptable. The accept path checks the URL as written (scheme, literal addresses, localhost);
/// the deliverer must still check the addresses the host name resolves to with <see cref="IsPrivate"/>.
/// </summary>
public sealed class CallbackUrlPolicy(CallbackOptions options)
{
    public const int MaxLength = 2048;

    /// <summary>Null when acceptable, else a sentence saying why not.</summary>
    public string? Validate(string url)
    {
        if (url.Length > MaxLength || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return "callback_url must be an absolute URL of at most 2048 characters.";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "callback_url must not contain credentials.";
        }

        if (options.AllowPrivateNetworks)
        {
            return uri.Scheme is "https" or "http" ? null : "callback_url must use https or http.";
        }

        if (uri.Scheme != "https")
        {
            return "callback_url must use https.";
        }

        var host = uri.IdnHost;
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return "callback_url must not point at this machine.";
        }

        return IPAddress.TryParse(host, out var address) && IsPrivate(address)
            ? "callback_url must not point at a loopback, private or link-local address."
            : null;
    }

    private static readonly IPNetwork[] PrivateNetworks =
    [
        IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("100.64.0.0/10"), IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.168.0.0/16"), IPNetwork.Parse("224.0.0.0/3"),
        IPNetwork.Parse("::/127"), IPNetwork.Parse("fc00::/7"), IPNetwork.Parse("fe80::/10"), IPNetwork.Parse("ff00::/8"),
    ];

    /// <summary>Loopback, private (RFC 1918, unique-local), link-local, CGNAT, unspecified, multicast or reserved.</summary>
    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return Array.Exists(PrivateNetworks, network => network.Contains(address));
    }
}
