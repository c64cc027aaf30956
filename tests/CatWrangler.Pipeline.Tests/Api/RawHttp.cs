using System.Net.Sockets;
using System.Text;
using CatWrangler.Core.Security;
using CatWrangler.Webhooks;

namespace CatWrangler.Pipeline.Tests.Api;

/// <summary>Hand-written HTTP/1.1 over a socket, for framing no HttpClient would send (bad chunks, bodies cut short).</summary>
internal sealed class RawHttp : IAsyncDisposable
{
    private readonly TcpClient _socket = new();

    private RawHttp()
    {
    }

    public NetworkStream Stream => _socket.GetStream();

    public static async Task<RawHttp> ConnectAsync(Uri baseAddress, CancellationToken cancellationToken)
    {
        var raw = new RawHttp();
        await raw._socket.ConnectAsync(baseAddress.Host, baseAddress.Port, cancellationToken);
        return raw;
    }

    /// <summary>Request line and headers of a POST /v1/scans signed by <paramref name="client"/> over <paramref name="signedBody"/>.</summary>
    public static string SignedHead(Uri baseAddress, string framing, byte[] signedBody, string client = ApiTestHost.Acme,
        string? timestamp = null, string contentType = "image/jpeg")
    {
        var now = DateTimeOffset.UtcNow;
        var id = "msg_" + Guid.NewGuid().ToString("N");
        var signature = StandardWebhooksSignature.Sign(ApiTestHost.SecretOf(client), id, now, signedBody);
        return $"POST /v1/scans HTTP/1.1\r\nHost: {baseAddress.Authority}\r\nContent-Type: {contentType}\r\n{framing}\r\n"
            + $"{ApiHeaders.Client}: {client}\r\n{ApiHeaders.WebhookId}: {id}\r\n"
            + $"{ApiHeaders.WebhookTimestamp}: {timestamp ?? now.ToUnixTimeSeconds().ToString()}\r\n{ApiHeaders.WebhookSignature}: {signature}\r\n\r\n";
    }

    public Task SendAsync(string text, CancellationToken cancellationToken) => SendAsync(Encoding.ASCII.GetBytes(text), cancellationToken);

    public async Task SendAsync(byte[] bytes, CancellationToken cancellationToken) => await Stream.WriteAsync(bytes, cancellationToken);

    /// <summary>The response text up to the end of its (small, JSON) body, or what came before the server closed.</summary>
    public async Task<string> ReadResponseAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        var text = new StringBuilder();
        while (!text.ToString().TrimEnd().EndsWith('}'))
        {
            int read;
            try
            {
                read = await Stream.ReadAsync(buffer, cancellationToken);
            }
            catch (IOException)
            {
                break; // reset by the server
            }

            if (read == 0)
            {
                break;
            }

            text.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        return text.ToString();
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
