using System.Net;
using System.Net.Sockets;

namespace CatWrangler.Adapters.Http;

/// <summary>
/// Builds the primary handler for outbound requests to caller-chosen URLs: no redirects (a 3xx comes back to the caller),
/// no proxy (a proxy would make the checked address the proxy's), and a connect step that resolves the host once,
/// checks every address with the policy, and connects to exactly a checked address, so DNS rebinding has no window.
/// </summary>
public static class GuardedHttpHandler
{
    /// <summary>Response headers above this many KiB fail the request.</summary>
    public const int MaxResponseHeadersKilobytes = 64;

    public static SocketsHttpHandler Create(IOutboundAddressPolicy policy, TimeSpan connectTimeout) => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        ConnectTimeout = connectTimeout,
        MaxResponseHeadersLength = MaxResponseHeadersKilobytes,
        MaxResponseDrainSize = 64 * 1024,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectCallback = (context, cancellationToken) => ConnectAsync(policy, context.DnsEndPoint, cancellationToken),
    };

    private static async ValueTask<Stream> ConnectAsync(IOutboundAddressPolicy policy, DnsEndPoint target, CancellationToken cancellationToken)
    {
        var host = target.Host.Trim('[', ']');
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var endpoints = addresses.Select(address => new IPEndPoint(address, target.Port)).ToList();

        // Every address must pass: a name that mixes a public and a private address is refused as a whole.
        if (endpoints.Count == 0 || !endpoints.TrueForAll(policy.Permits))
        {
            throw new OutboundAddressRefusedException(host);
        }

        for (var i = 0; ; i++)
        {
            var socket = new Socket(endpoints[i].AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(endpoints[i], cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException) when (i < endpoints.Count - 1)
            {
                socket.Dispose();
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
    }
}
