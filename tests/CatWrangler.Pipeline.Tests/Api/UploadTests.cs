using System.Net;
using System.Net.Http.Json;
using CatWrangler.Adapters.Local;
using CatWrangler.Core;
using CatWrangler.Core.Images;
using CatWrangler.Core.Json;
using CatWrangler.Core.Scans;
using CatWrangler.Core.Uploads;
using CatWrangler.TestSupport;
using CatWrangler.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static CatWrangler.Pipeline.Tests.Api.ApiTestHost;

namespace CatWrangler.Pipeline.Tests.Api;

/// <summary>Two-step uploads on the embedded default: <c>POST /v1/uploads</c>, <c>PUT</c> to the signed local URL, submit the upload id.</summary>
public sealed class UploadTests : IAsyncLifetime
{
    private ApiTestHost _host = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _host = await StartAsync(new Dictionary<string, string?> { ["CatWrangler:Api:InlineMaxBytes"] = "2000" });

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Image_over_the_inline_limit_is_refused_inline_then_accepted_through_an_upload()
    {
        var jpeg = TestImages.Jpeg(400, 300);
        Assert.True(jpeg.Length > 2000);
        using var inline = await _host.Http.SendAsync(Signed(HttpMethod.Post, "/v1/scans", Raw(jpeg, "image/jpeg")), Ct);
        await ScanApiTests.AssertProblemAsync(inline, 413, "too_large");

        var slot = await CreateUploadAsync(_host);
        Assert.Equal("PUT", slot.Method);
        Assert.Equal(Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<ImageLimits>(_host.Services).MaxBytes, slot.MaxBytes);
        Assert.InRange(slot.ExpiresAt, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(16));
        using (var put = await _host.Http.PutAsync(slot.Url, new ByteArrayContent(jpeg), Ct))
        {
            Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        }

        using var submit = await _host.Http.SendAsync(
            JsonSubmissionTests.SignedJson($$"""{"image":{"uploadId":"{{slot.UploadId}}"},"reference":"big"}"""), Ct);

        Assert.Equal(HttpStatusCode.Accepted, submit.StatusCode);
        var scan = (await submit.Content.ReadFromJsonAsync<ScanView>(CatWranglerJson.Options, Ct))!;
        Assert.Equal((400, 300, (long)jpeg.Length), (scan.Image!.Width, scan.Image.Height, scan.Image.Bytes));
        var stored = Assert.Single(_host.Scans.Scans.Values);
        Assert.Equal(jpeg, await _host.Images.GetAsync(stored.Image!.StorageKey, Ct));
        Assert.Equal("big", stored.Source.Api!.Reference);
    }

    [Fact]
    public async Task An_upload_url_takes_one_image_only()
    {
        var slot = await CreateUploadAsync(_host);
        using var first = await _host.Http.PutAsync(slot.Url, new ByteArrayContent(TestImages.Jpeg()), Ct);
        using var second = await _host.Http.PutAsync(slot.Url, new ByteArrayContent(TestImages.Png()), Ct);

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        await ScanApiTests.AssertProblemAsync(second, 409, "upload_already_used");
    }

    [Fact]
    public async Task A_tampered_or_expired_upload_url_is_refused()
    {
        var slot = await CreateUploadAsync(_host);
        var tampered = new Uri(slot.Url.OriginalString.Replace("client=acme", "client=inspector", StringComparison.Ordinal));
        using var forged = await _host.Http.PutAsync(tampered, new ByteArrayContent(TestImages.Jpeg()), Ct);
        await ScanApiTests.AssertProblemAsync(forged, 403, "invalid_upload_signature");

        // A URL born expired: a lifetime no configuration may set (it is refused at start), so the options are put in directly.
        await using var host = await StartAsync(services: s => s.AddSingleton(new UploadOptions { UrlLifetime = TimeSpan.FromSeconds(-5) }));
        var stale = await CreateUploadAsync(host);
        using var expired = await host.Http.PutAsync(stale.Url, new ByteArrayContent(TestImages.Jpeg()), Ct);
        await ScanApiTests.AssertProblemAsync(expired, 403, "upload_url_expired");
    }

    [Fact]
    public async Task An_upload_over_the_image_limit_is_cut_off_while_streaming()
    {
        await using var host = await StartAsync(new Dictionary<string, string?> { ["CatWrangler:Limits:MaxBytes"] = "1000" });
        var slot = await CreateUploadAsync(host);

        // Chunked (no Content-Length): the limit is enforced on the bytes as they arrive.
        using var request = new HttpRequestMessage(HttpMethod.Put, slot.Url) { Content = new ByteArrayContent(new byte[50_000]) };
        request.Headers.TransferEncodingChunked = true;
        using var put = await host.Http.SendAsync(request, Ct);

        await ScanApiTests.AssertProblemAsync(put, 413, "too_large");
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(host.DataPath, "uploads"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Another_clients_or_an_unknown_upload_id_is_not_found()
    {
        var slot = await CreateUploadAsync(_host);
        using var put = await _host.Http.PutAsync(slot.Url, new ByteArrayContent(TestImages.Jpeg()), Ct);
        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);

        using var otherClient = await _host.Http.SendAsync(JsonSubmissionTests.SignedJson($$$"""{"image":{"uploadId":"{{{slot.UploadId}}}"}}""", Debugger), Ct);
        using var unknown = await _host.Http.SendAsync(JsonSubmissionTests.SignedJson($$$"""{"image":{"uploadId":"{{{UploadIds.New()}}}"}}"""), Ct);

        await ScanApiTests.AssertProblemAsync(otherClient, 404, "upload_not_found");
        await ScanApiTests.AssertProblemAsync(unknown, 404, "upload_not_found");
        Assert.Empty(_host.Scans.Scans);
    }

    [Fact]
    public async Task Creating_an_upload_needs_a_signature()
    {
        using var response = await _host.Http.PostAsync("/v1/uploads", null, Ct);

        await ScanApiTests.AssertProblemAsync(response, 401, "missing_signature");
    }

    [Fact]
    public async Task Staged_uploads_nobody_submitted_expire_and_are_swept()
    {
        using var ports = new LocalPorts();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var uploads = new UploadOptions { Retention = TimeSpan.FromHours(1) };
        var staging = new LocalUploadStaging(new CatWranglerOptions { DataPath = ports.DataPath }, uploads, new ImageLimits(), time);
        var slot = await staging.CreateAsync("acme", new Uri("http://127.0.0.1/"), Ct);
        var query = System.Web.HttpUtility.ParseQueryString(slot.Url.Query);
        var receipt = await staging.ReceiveAsync("acme", slot.UploadId, query["expires"]!, query["signature"]!, null, new MemoryStream(TestImages.Jpeg()), Ct);
        Assert.Equal(UploadReceipt.Stored, receipt);
        var staged = Assert.Single(Directory.GetFiles(Path.Combine(ports.DataPath, "uploads"), "*", SearchOption.AllDirectories));
        Assert.IsType<StagedUpload.Found>(await staging.ReadAsync("acme", slot.UploadId, long.MaxValue, Ct));

        // The file's own clock is the real one; move the fake clock past its retention.
        time.SetUtcNow(File.GetLastWriteTimeUtc(staged) + uploads.Retention + TimeSpan.FromSeconds(1));
        Assert.IsType<StagedUpload.Missing>(await staging.ReadAsync("acme", slot.UploadId, long.MaxValue, Ct));
        await staging.CreateAsync("acme", new Uri("http://127.0.0.1/"), Ct); // creating a slot sweeps

        Assert.False(File.Exists(staged));
    }

    [Fact]
    public async Task OpenApi_document_describes_the_json_body_and_the_upload_routes()
    {
        using var document = System.Text.Json.JsonDocument.Parse(await _host.Http.GetStringAsync("/openapi/v1.json", Ct));
        var paths = document.RootElement.GetProperty("paths");

        var json = paths.GetProperty("/v1/scans").GetProperty("post").GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        Assert.Equal(["base64", "uploadId", "url"], json.GetProperty("properties").GetProperty("image").GetProperty("properties").EnumerateObject().Select(p => p.Name).Order());
        var create = paths.GetProperty("/v1/uploads").GetProperty("post");
        Assert.True(create.GetProperty("security")[0].TryGetProperty("webhookSignature", out _));
        var put = paths.GetProperty("/v1/uploads/{uploadId}").GetProperty("put");
        Assert.Equal(0, put.GetProperty("security").GetArrayLength());
    }

    private static async Task<UploadView> CreateUploadAsync(ApiTestHost host)
    {
        using var response = await host.Http.SendAsync(Signed(HttpMethod.Post, "/v1/uploads", null), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<UploadView>(CatWranglerJson.Options, Ct))!;
    }
}
