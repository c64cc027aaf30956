using System.Net;
using System.Net.Http.Json;
using CatWrangler.Core.Json;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;
using CatWrangler.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using static CatWrangler.Pipeline.Tests.Api.ApiTestHost;

namespace CatWrangler.Pipeline.Tests.Api;

/// <summary><c>GET /v1/scans/{id}/annotated</c>: stored bytes, signed, owner only; every response checked against the OpenAPI document.</summary>
public sealed class AnnotatedImageApiTests : IAsyncLifetime
{
    private ApiTestHost _host = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _host = await StartAsync();

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    private async Task<string> SubmitAsync()
    {
        using var response = await _host.Http.SendAsync(Signed(HttpMethod.Post, "/v1/scans", Raw(TestImages.Jpeg(), "image/jpeg")), Ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ScanView>(CatWranglerJson.Options, Ct))!.Id;
    }

    [Fact]
    public async Task The_owner_gets_the_stored_png()
    {
        var id = await SubmitAsync();
        var png = TestImages.Png(30, 20);
        await _host.Services.GetRequiredService<IImageStore>().PutAnnotatedAsync(id, png, Ct);

        using var response = await _host.Http.SendAsync(Signed(HttpMethod.Get, $"/v1/scans/{id}/annotated", null), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(png, await response.Content.ReadAsByteArrayAsync(Ct));
        Assert.True(File.Exists(Path.Combine(_host.DataPath, "annotated", id + ".png")));
    }

    [Fact]
    public async Task A_scan_without_a_picture_is_a_404_problem_saying_why()
    {
        var id = await SubmitAsync();

        using var response = await _host.Http.SendAsync(Signed(HttpMethod.Get, $"/v1/scans/{id}/annotated", null), Ct);

        await ScanApiTests.AssertProblemAsync(response, 404, "annotated_image_not_found");
    }

    [Fact]
    public async Task Another_client_gets_not_found_even_when_a_picture_exists()
    {
        var id = await SubmitAsync();
        await _host.Services.GetRequiredService<IImageStore>().PutAnnotatedAsync(id, TestImages.Png(), Ct);

        using var response = await _host.Http.SendAsync(Signed(HttpMethod.Get, $"/v1/scans/{id}/annotated", null, client: Debugger), Ct);

        await ScanApiTests.AssertProblemAsync(response, 404, "scan_not_found");
    }

    [Theory]
    [InlineData("..%2F..%2Fscans.db")]
    [InlineData("not-a-scan-id")]
    public async Task An_id_that_is_no_scan_id_is_not_found(string id)
    {
        using var response = await _host.Http.SendAsync(Signed(HttpMethod.Get, $"/v1/scans/{id}/annotated", null), Ct);

        await ScanApiTests.AssertProblemAsync(response, 404, "scan_not_found");
    }

    [Fact]
    public async Task An_unsigned_request_is_401()
    {
        var id = await SubmitAsync();

        using var response = await _host.Http.GetAsync($"/v1/scans/{id}/annotated", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
