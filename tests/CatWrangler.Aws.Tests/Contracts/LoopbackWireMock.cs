using System.Net;
using System.Net.Sockets;
using WireMock.Server;

namespace CatWrangler.Aws.Tests.Contracts;

internal static class LoopbackWireMock
{
    /// <summary>A WireMock server bound to 127.0.0.1 on a free port.</summary>
    public static WireMockServer Start()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return WireMockServer.Start($"http://127.0.0.1:{port}");
    }
}
