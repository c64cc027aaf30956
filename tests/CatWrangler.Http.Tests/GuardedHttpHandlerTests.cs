using System.Net;
using CatWrangler.Adapters.Http;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace CatWrangler.Http.Tests;

/// <summary>The guarded handler against real loopback listeners, with a policy that admits exactly the first one.</summary>
public sealed class GuardedHttpHandlerTests : IDisposable
{
    private readonly WireMockServer _admitted = WireMockServer.Start();
    private readonly WireMockServer _internal = WireMockServer.Start();
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _admitted.Stop();
        _internal.Stop();
    }

    [Theory]
    [InlineData(302)]
    [InlineData(307)]
    public async Task A_redirect_to_another_listener_comes_back_as_the_status_and_the_target_gets_nothing(int status)
    {
        _admitted.Given(Request.Create().WithPath("/hook")).RespondWith(
            Response.Create().WithStatusCode(status).WithHeader("Location", _internal.Url + "/internal"));
        using var http = new HttpClient(GuardedHttpHandler.Create(new SingleListener(_admitted.Port), TimeSpan.FromSeconds(5)));

        using var response = await http.PostAsync(_admitted.Url + "/hook", new StringContent("{}"), Ct);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Single(_admitted.LogEntries);
        Assert.Empty(_internal.LogEntries);
    }

    [Fact]
    public async Task A_listener_the_policy_refuses_gets_no_connection_and_the_failure_is_address_refused()
    {
        _internal.Given(Request.Create()).RespondWith(Response.Create().WithStatusCode(200));
        using var http = new HttpClient(GuardedHttpHandler.Create(new SingleListener(_admitted.Port), TimeSpan.FromSeconds(5)));

        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(_internal.Url, Ct));

        Assert.Equal(OutboundFailure.AddressRefused, OutboundFailure.Categorize(failure, Ct));
        Assert.Empty(_internal.LogEntries);
    }

    [Fact]
    public async Task A_host_name_that_resolves_to_loopback_is_refused_by_the_default_policy()
    {
        _internal.Given(Request.Create()).RespondWith(Response.Create().WithStatusCode(200));
        using var http = new HttpClient(GuardedHttpHandler.Create(new OutboundAddressPolicy(allowPrivateNetworks: false), TimeSpan.FromSeconds(5)));

        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync($"http://localhost:{_internal.Port}/", Ct));

        Assert.Equal(OutboundFailure.AddressRefused, OutboundFailure.Categorize(failure, Ct));
        Assert.Empty(_internal.LogEntries);
    }

    [Fact]
    public async Task A_closed_port_is_connection_failed_without_the_socket_error_text()
    {
        var port = _internal.Port;
        _internal.Stop();
        using var http = new HttpClient(GuardedHttpHandler.Create(new OutboundAddressPolicy(allowPrivateNetworks: true), TimeSpan.FromSeconds(5)));

        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync($"http://127.0.0.1:{port}/", Ct));

        Assert.Equal(OutboundFailure.ConnectionFailed, OutboundFailure.Categorize(failure, Ct));
    }

    [Fact]
    public async Task A_body_over_its_declared_cap_is_refused_before_reading()
    {
        _admitted.Given(Request.Create().WithPath("/big")).RespondWith(Response.Create().WithBody(new byte[200_000]));
        using var http = new HttpClient(GuardedHttpHandler.Create(new SingleListener(_admitted.Port), TimeSpan.FromSeconds(5)));
        using var response = await http.GetAsync(_admitted.Url + "/big", HttpCompletionOption.ResponseHeadersRead, Ct);

        await Assert.ThrowsAsync<ResponseTooLargeException>(() => response.Content.ReadAsBytesCappedAsync(100_000, Ct));
    }

    [Theory]
    [InlineData(100_000, false)]
    [InlineData(99_999, true)]
    public async Task A_body_without_a_length_is_read_up_to_the_cap_and_no_further(int cap, bool tooLarge)
    {
        var source = new CountingStream(100_000);
        using var content = new StreamContent(source);

        if (tooLarge)
        {
            await Assert.ThrowsAsync<ResponseTooLargeException>(() => content.ReadAsBytesCappedAsync(cap, Ct));
            Assert.True(source.Position <= cap + 81920);
        }
        else
        {
            Assert.Equal(100_000, (await content.ReadAsBytesCappedAsync(cap, Ct)).Length);
        }
    }

    /// <summary>A body of unknown length (no Content-Length), like a chunked response.</summary>
    private sealed class CountingStream(long length) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get; set; }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - Position);
            Position += n;
            return n;
        }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>Admits one loopback port and nothing else, as a deployment admits one public receiver.</summary>
    private sealed class SingleListener(int port) : IOutboundAddressPolicy
    {
        public bool Permits(IPEndPoint endpoint) => IPAddress.IsLoopback(endpoint.Address) && endpoint.Port == port;
    }
}
