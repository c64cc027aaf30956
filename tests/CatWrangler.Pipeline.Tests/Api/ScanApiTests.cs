using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CatWrangler.Core.Json;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;
using CatWrangler.TestSupport;
using CatWrangler.Webhooks;
using static CatWrangler.Pipeline.Tests.Api.ApiTestHost;

namespace CatWrangler.Pipeline.Tests.Api;

public sealed class ScanApiTests : IAsyncLifetime
{
    private ApiTestHost _host = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _host = await StartAsync();

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Raw_jpeg_is_accepted_stored_and_queued()
    {
        var jpeg = TestImages.Jpeg(320, 200);

        using var response = await _host.Http.SendAsync(Signed(HttpMethod.Post, "/v1/scans", Raw(jpeg, "image/jpeg")), Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var scan = await ReadScanAsync(response);
        Assert.Equal(ScanStatus.Queued, scan.Status);
        Assert.Equal($"/v1/scans/{scan.Id}", response.Headers.Location?.OriginalString);
        Assert.Equal((320, 200), (scan.Image!.Width, scan.Image.Height));

        var stored = Assert.Single(_host.Scans.Scans.Values);
        Assert.Equal(scan.Id, stored.Id);
        Assert.Equal(Acme, stored.Source.Api!.ClientId);
        Assert.Equal(jpeg, await _host.Images.GetAsync(stored.Image!.StorageKey, Ct));
        Assert.Equal(new WorkItem(scan.Id, WorkKind.Process), Assert.Single(_host.Queue.Items));
    }

    [Fact]
    public async Task Multipart_png_with_fields_is_accepted_and_readable_by_its_owner()
    {
        using var form = new MultipartFormDataContent
        {
            { Raw(TestImages.Png(40, 30), "image/png"), "file", "tiny.png" },
            { new StringContent("https://hooks.example.com/catscan"), "callback_url" },
            { new StringContent("order-42"), "reference" },
        };

        using var response = await _host.Http.SendAsync(Signed(HttpMethod.Post, "/v1/scans", form), Ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await ReadScanAsync(response)).Id;

        using var get = await _host.Http.SendAsync(Signed(HttpMethod.Get, $"/v1/scans/{id}", null), Ct);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        var scan = await ReadScanAsync(get);
        Assert.Equal("order-42", scan.Reference);
        Assert.Equal("https://hooks.example.com/catscan", scan.CallbackUrl);
        Assert.Equal("image/png", scan.Image!.ContentType);
        Assert.Null(scan.Debug);
    }

    [Fact]
    public async Task Real_photo_from_the_eval_set_is_accepted()
    {
        var path = RepoPaths.EvalImage("bigcat_0001.jpg");
        var bytes = await File.ReadAllBytesAsync(path, Ct);

        using var response = await _host.Http.SendAsync(Signed(HttpMethod.Post, "/v1/scans", Raw(bytes, "image/jpeg")), Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var scan = await ReadScanAsync(response);
        Assert.Equal(bytes.Length, scan.Image!.Bytes);
        Assert.True(scan.Image.Width > 0 && scan.Image.Height > 0);
    }

    public static TheoryData<string, string?, int, string> BadImages() => new()
    {
        { "gif", "image/gif", 415, "unsupported_format" },
        { "webp", "image/webp", 415, "unsupported_format" },
        { "bmp", "image/bmp", 415, "unsupported_format" },
        { "svg", "image/svg+xml", 415, "unsupported_format" },
        { "html", "text/html", 415, "unsupported_format" },
        { "empty", "image/jpeg", 400, "empty" },
        { "truncated-jpeg", "image/jpeg", 422, "truncated" },
        { "png-bad-crc", "image/png", 422, "corrupt" },
        { "png-bomb-30000x30000", "image/png", 422, "bad_dimensions" },
        { "png-declared-as-jpeg", "image/jpeg", 415, "content_type_mismatch" },
        { "jpeg-declared-as-png", "image/png", 415, "content_type_mismatch" },
    };

    [Theory]
    [MemberData(nameof(BadImages))]
    public async Task Bad_image_gets_a_problem_and_nothing_is_stored(string kind, string? contentType, int status, string code)
    {
        byte[] bytes = kind switch
        {
            "gif" => TestImages.Gif(),
            "webp" => TestImages.WebP(),
            "bmp" => TestImages.Bmp(),
            "svg" => TestImages.Svg(),
            "html" => TestImages.Html(),
            "empty" => [],
            "truncated-jpeg" => TestImages.TruncatedJpeg(),
            "png-bad-crc" => TestImages.PngWithBadCrc(),
            "png-bomb-30000x30000" => TestImages.PngWithHeader(30000, 30000),
            "png-declared-as-jpeg" => TestImages.Png(),
            "jpeg-declared-as-png" => TestImages.Jpeg(),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        using var response = await _host.Http.SendAsync(Signed(HttpMethod.Post, "/v1/scans", Raw(bytes, contentType)), Ct);

        await AssertProblemAsync(response, status, code);
        AssertNothingStored();
    }

    [Fact]
    public async Task Bad_image_in_multipart_gets_the_same_problem()
    {
        using var form = new MultipartFormDataContent { { Raw(TestImages.Gif(), "image/gif"), "file", "anim.gif" } };

        using var response = await _host.Http.SendAsync(Signed(HttpMethod.Post, "/v1/scans", form), Ct);

        await AssertProblemAsync(response, 415, "unsupported_format");
        AssertNothingStored();
    }

    [Fact]
    public async Task Missing_signature_is_401()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/scans") { Content = Raw(TestImages.Jpeg(), "image/jpeg") };

        using var response = await _host.Http.SendAsync(request, Ct);

        await AssertProblemAsync(response, 401, "missing_signature");
        AssertNothingStored();
    }

    [Fact]
    public async Task Signature_with_a_wrong_secret_is_401()
    {
        using var request = Signed(HttpMethod.Post, "/v1/scans", Raw(TestImages.Jpeg(), "image/jpeg"), secret: DebuggerSecret);

        using var response = await _host.Http.SendAsync(request, Ct);

        await AssertProblemAsync(response, 401, "invalid_signature");
        AssertNothingStored();
    }

    [Fact]
    public async Task Signature_over_other_bytes_is_401()
    {
        using var request = Signed(HttpMethod.Post, "/v1/scans", Raw(TestImages.Jpeg(), "image/jpeg"));
        request.Content = Raw(TestImages.Jpeg(65, 48), "image/jpeg");

        using var response = await _host.Http.SendAsync(request, Ct);

        await AssertProblemAsync(response, 401, "invalid_signature");
        AssertNothingStored();
    }

    [Theory]
    [InlineData(-6)]
    [InlineData(6)]
    public async Task Timestamp_outside_five_minutes_is_401(int minutes)
    {
        using var request = Signed(HttpMethod.Post, "/v1/scans", Raw(TestImages.Jpeg(), "image/jpeg"), timestamp: DateTimeOffset.UtcNow.AddMinutes(minutes));

        using var response = await _host.Http.SendAsync(request, Ct);

        await AssertProblemAsync(response, 401, "stale_timestamp");
        AssertNothingStored();
    }

    [Fact]
    public async Task Unknown_client_is_401()
    {
        using var request = Signed(HttpMethod.Post, "/v1/scans", Raw(TestImages.Jpeg(), "image/jpeg"), client: "mallory");

        using var response = await _host.Http.SendAsync(request, Ct);

        await AssertProblemAsync(response, 401, "unknown_client");
        AssertNothingStored();
    }

    [Fact]
    public async Task Both_secrets_of_a_rotating_client_are_accepted()
    {
        using var withNew = await _host.Http.SendAsync(Signed(HttpMethod.Post, "/v1/scans", Raw(TestImages.Jpeg(), "image/jpeg"), secret: AcmeSecret), Ct);
        using var withOld = await _host.Http.SendAsync(Signed(HttpMethod.Post, "/v1/scans", Raw(TestImages.Png(), "image/png"), secret: AcmeOldSecret), Ct);

        Assert.Equal(HttpStatusCode.Accepted, withNew.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, withOld.StatusCode);
        Assert.Equal(2, _host.Scans.Scans.Count);
    }

    [Fact]
    public async Task Replayed_webhook_id_with_same_content_returns_the_same_scan()
    {
        var jpeg = TestImages.Jpeg();

        using var first = await _host.Http.SendAsync(Signed(HttpMethod.Post, "/v1/scans", Raw(jpeg, "image/jpeg"), webhookId: "msg_same"), Ct);
        using var second = await _host.Http.SendAsync(Signed(HttpMethod.Post, "/v1/scans", Raw(jpeg, "image/jpeg"), webhookId: "msg_same"), Ct);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        var id = (await ReadScanAsync(first)).Id;
        Assert.Equal(id, (await ReadScanAsync(second)).Id);
        Assert.Equal(id, Assert.Single(_host.Scans.Scans.Values).Id);
    }

    [Fact]
    public async Task Replayed_webhook_id_with_other_content_is_409_and_stores_nothing_new()
    {
        using var first = await _host.Http.SendAsync(Signed(HttpMethod.Post, "/v1/scans", Raw(TestImages.Jpeg(), "image/jpeg"), webhookId: "msg_reused"), Ct);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);

        using var second = await _host.Http.SendAsync(Signed(HttpMethod.Post, "/v1/scans", Raw(TestImages.Png(), "image/png"), webhookId: "msg_reused"), Ct);

        await AssertProblemAsync(second, 409, "webhook_id_reused");
        Assert.Single(_host.Scans.Scans);
        Assert.Single(_host.Images.Images);
        Assert.Single(_host.Queue.Items);
    }

    [Fact]
    public async Task Same_webhook_id_from_another_client_is_independent()
    {
        using var acme = await _host.Http.SendAsync(Signed(HttpMethod.Post, "/v1/scans", Raw(TestImages.Jpeg(), "image/jpeg"), webhookId: "msg_1"), Ct);
        using var other = await _host.Http.SendAsync(Signed(HttpMethod.Post, "/v1/scans", Raw(TestImages.Png(), "image/png"), client: Debugger, webhookId: "msg_1"), Ct);

        Assert.Equal(HttpStatusCode.Accepted, acme.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, other.StatusCode);
    }

    [Fact]
    public async Task Debug_requested_without_the_scope_is_403()
    {
        using var post = await _host.Http.SendAsync(Signed(HttpMethod.Post, "/v1/scans?debug=true", Raw(TestImages.Jpeg(), "image/jpeg")), Ct);
        await AssertProblemAsync(post, 403, "debug_scope_required");
        AssertNothingStored();

        using var accepted = await _host.Http.SendAsync(Signed(HttpMethod.Post, "/v1/scans", Raw(TestImages.Jpeg(), "image/jpeg")), Ct);
        var id = (await ReadScanAsync(accepted)).Id;
        using var get = await _host.Http.SendAsync(Signed(HttpMethod.Get, $"/v1/scans/{id}?debug=true", null), Ct);
        await AssertProblemAsync(get, 403, "debug_scope_required");
    }

    [Fact]
    public async Task Debug_scope_client_sees_debug_data()
    {
        using var accepted = await _host.Http.SendAsync(Signed(HttpMethod.Post, "/v1/scans?debug=true", Raw(TestImages.Jpeg(), "image/jpeg"), client: Debugger), Ct);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var id = (await ReadScanAsync(accepted)).Id;
        Assert.True(_host.Scans.Scans[id].Source.Api!.DebugRequested);

        using var get = await _host.Http.SendAsync(Signed(HttpMethod.Get, $"/v1/scans/{id}?debug=true", null, client: Debugger), Ct);

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.NotNull((await ReadScanAsync(get)).Debug);
    }

    [Fact]
    public async Task Scans_are_visible_only_to_their_client()
    {
        using var accepted = await _host.Http.SendAsync(Signed(HttpMethod.Post, "/v1/scans", Raw(TestImages.Jpeg(), "image/jpeg")), Ct);
        var id = (await ReadScanAsync(accepted)).Id;

        using var other = await _host.Http.SendAsync(Signed(HttpMethod.Get, $"/v1/scans/{id}", null, client: Debugger), Ct);
        await AssertProblemAsync(other, 404, "scan_not_found");

        using var otherList = await _host.Http.SendAsync(Signed(HttpMethod.Get, "/v1/scans", null, client: Debugger), Ct);
        Assert.Empty((await otherList.Content.ReadFromJsonAsync<ScanListView>(CatWranglerJson.Options, Ct))!.Items);

        using var ownList = await _host.Http.SendAsync(Signed(HttpMethod.Get, "/v1/scans?limit=5", null), Ct);
        Assert.Equal(id, Assert.Single((await ownList.Content.ReadFromJsonAsync<ScanListView>(CatWranglerJson.Options, Ct))!.Items).Id);
    }

    [Fact]
    public async Task Get_with_a_bad_signature_is_401()
    {
        using var request = Signed(HttpMethod.Get, "/v1/scans", null, secret: DebuggerSecret);

        using var response = await _host.Http.SendAsync(request, Ct);

        await AssertProblemAsync(response, 401, "invalid_signature");
    }

    [Fact]
    public async Task Unknown_scan_is_404()
    {
        using var response = await _host.Http.SendAsync(Signed(HttpMethod.Get, $"/v1/scans/{Scan.NewId()}", null), Ct);

        await AssertProblemAsync(response, 404, "scan_not_found");
    }

    [Theory]
    [InlineData("http://hooks.example.com/x")]
    [InlineData("https://127.0.0.1/x")]
    [InlineData("https://10.1.2.3/x")]
    [InlineData("https://localhost/x")]
    [InlineData("not a url")]
    public async Task Unsafe_callback_url_is_refused(string url)
    {
        var path = "/v1/scans?callback_url=" + Uri.EscapeDataString(url);

        using var response = await _host.Http.SendAsync(Signed(HttpMethod.Post, path, Raw(TestImages.Jpeg(), "image/jpeg")), Ct);

        await AssertProblemAsync(response, 400, "invalid_callback_url");
        AssertNothingStored();
    }

    [Fact]
    public async Task OpenApi_document_is_served()
    {
        var json = await _host.Http.GetStringAsync("/openapi/v1.json", Ct);

        using var document = JsonDocument.Parse(json);
        var paths = document.RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/v1/scans", out var scans));
        Assert.True(scans.TryGetProperty("post", out _));
        Assert.True(paths.TryGetProperty("/v1/scans/{id}", out _));
    }

    private static async Task<ScanView> ReadScanAsync(HttpResponseMessage response)
        => (await response.Content.ReadFromJsonAsync<ScanView>(CatWranglerJson.Options, Ct))!;

    internal static async Task AssertProblemAsync(HttpResponseMessage response, int status, string code)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(status == (int)response.StatusCode, $"expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal(status, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal(code, problem.RootElement.GetProperty("code").GetString());
        Assert.StartsWith("https://", problem.RootElement.GetProperty("type").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.RootElement.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(problem.RootElement.GetProperty("detail").GetString()));
    }

    private void AssertNothingStored()
    {
        Assert.Empty(_host.Scans.Scans);
        Assert.Empty(_host.Images.Images);
        Assert.Empty(_host.Queue.Items);
    }
}
