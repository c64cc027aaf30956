using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CatWrangler.Pipeline.Tests.EndToEnd;

/// <summary>
/// A loopback HTTP/1.1 server that answers every request with what <c>respond</c> writes, counting connections and body
/// bytes written, so a test can see what a client fetched (or that it never connected).
/// </summary>
internal sealed class RawImageServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<Stream, Task> _respond;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _connections;
    private long _written;

    public RawImageServer(Func<Stream, Task> respond)
    {
        _respond = respond;
        _listener.Start();
        _loop = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string Url(string path) => $"http://127.0.0.1:{Port}{path}";

    public int Connections => Volatile.Read(ref _connections);

    public long BytesWritten => Interlocked.Read(ref _written);

    public void CountWritten(long bytes) => Interlocked.Add(ref _written, bytes);

    /// <summary>A complete response with a Content-Length.</summary>
    public static Func<Stream, Task> Fixed(int status, string contentType, byte[] body, string? extraHeaders = null) => async stream =>
    {
        var head = $"HTTP/1.1 {status} X\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n{extraHeaders}\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(body);
    };

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref _connections);
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                await ReadHeadAsync(stream);
                await _respond(stream);
            }
            catch (IOException)
            {
                // The client hung up (e.g. it stopped reading at its size cap).
            }
        }
    }

    private async Task ReadHeadAsync(Stream stream)
    {
        var seen = new List<byte>();
        var one = new byte[1];
        while (seen.Count < 64 * 1024 && await stream.ReadAsync(one, _stop.Token) == 1)
        {
            seen.Add(one[0]);
            if (seen.Count >= 4 && seen[^4] == '\r' && seen[^3] == '\n' && seen[^2] == '\r' && seen[^1] == '\n')
            {
                return;
            }
        }
    }
}
