using System.Net;
using System.Net.Http.Json;
using System.Text;
using CatWrangler.Core.Json;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;
using CatWrangler.TestSupport;
using CatWrangler.Webhooks;
using static CatWrangler.Pipeline.Tests.Api.ApiTestHost;

namespace CatWrangler.Pipeline.Tests.Api;

/// <summary><c>POST /v1/scans</c> with <c>application/json</c>, signed over the exact text, as the official libraries sign.</summary>
public sealed class JsonSubmissionTests : IAsyncLifetime
{
    private ApiTestHost _host = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _host = await StartAsync();

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Base64_json_signed_by_the_official_library_is_accepted_and_readable_with_an_officially_signed_get()
    {
        var png = TestImages.Png(40, 30);
        var json = $$$"""{"image":{"base64":"{{{Convert.ToBase64String(png)}}}"},"reference":"order-7","callbackUrl":"https://hooks.example.com/cat"}""";

        using var response = await _host.Http.SendAsync(await OfficiallySignedAsync(HttpMethod.Post, "/v1/scans", json), Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = (await response.Content.ReadFromJsonAsync<ScanView>(CatWranglerJson.Options, Ct))!;
        var stored = Assert.Single(_host.Scans.Scans.Values);
        Assert.Equal(png, await _host.Images.GetAsync(stored.Image!.StorageKey, Ct));
        Assert.Equal(new WorkItem(accepted.Id, WorkKind.Process), Assert.Single(_host.Queue.Items));

        using var get = await _host.Http.SendAsync(await OfficiallySignedAsync(HttpMethod.Get, $"/v1/scans/{accepted.Id}", null), Ct);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        var scan = (await get.Content.ReadFromJsonAsync<ScanView>(CatWranglerJson.Options, Ct))!;
        Assert.Equal(("order-7", "https://hooks.example.com/cat", "image/png"), (scan.Reference, scan.CallbackUrl, scan.Image!.ContentType));
    }

    [Fact]
    public async Task Json_whose_text_differs_from_the_signed_text_is_rejected()
    {
        var json = $$$"""{"image":{"base64":"{{{Convert.ToBase64String(TestImages.Jpeg())}}}"}}""";
        var request = await OfficiallySignedAsync(HttpMethod.Post, "/v1/scans", json);
        request.Content = new StringContent(json.Replace("{\"image\"", "{ \"image\"", StringComparison.Ordinal), Encoding.UTF8, "application/json");

        using var response = await _host.Http.SendAsync(request, Ct);

        await ScanApiTests.AssertProblemAsync(response, 401, "invalid_signature");
        Assert.Empty(_host.Scans.Scans);
    }

    public static TheoryData<string, string> BadBodies() => new()
    {
        { "{\"image\":", "invalid_json" },
        { "[]", "invalid_json" },
        { "{\"image\":{\"base64\":\"/9j/\"},\"callback_url\":\"https://x.example\"}", "invalid_json" },
        { "{\"image\":{\"base64\":\"/9j/\",\"base64\":\"iVBO\"}}", "invalid_json" },
        { "{\"debug\":false}", "invalid_image_source" },
        { "{\"image\":{}}", "invalid_image_source" },
        { "{\"image\":{\"url\":\"https://example.com/cat.jpg\",\"base64\":\"/9j/\"}}", "invalid_image_source" },
        { "{\"image\":{\"base64\":\"not base64!\"}}", "invalid_base64" },
        { "{\"image\":{\"uploadId\":\"../../etc/passwd\"}}", "invalid_upload_id" },
        { "{\"image\":{\"base64\":\"/9j/\"},\"reference\":\"" + new string('r', 257) + "\"}", "invalid_reference" },
        { "{\"image\":{\"base64\":\"/9j/\"},\"callbackUrl\":\"ftp://example.com/hook\"}", "invalid_callback_url" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Malformed_json_submission_gets_a_400_problem_with_a_code_and_nothing_is_stored(string json, string code)
    {
        using var response = await _host.Http.SendAsync(SignedJson(json), Ct);

        await ScanApiTests.AssertProblemAsync(response, 400, code);
        Assert.Empty(_host.Scans.Scans);
        Assert.Empty(_host.Images.Images);
    }

    [Fact]
    public async Task Base64_image_goes_through_the_one_image_validator()
    {
        using var gif = await _host.Http.SendAsync(SignedJson($$$"""{"image":{"base64":"{{{Convert.ToBase64String(TestImages.Gif())}}}"}}"""), Ct);
        using var truncated = await _host.Http.SendAsync(SignedJson($$$"""{"image":{"base64":"{{{Convert.ToBase64String(TestImages.TruncatedJpeg())}}}"}}"""), Ct);

        await ScanApiTests.AssertProblemAsync(gif, 415, "unsupported_format");
        await ScanApiTests.AssertProblemAsync(truncated, 422, "truncated");
        Assert.Empty(_host.Scans.Scans);
    }

    [Fact]
    public async Task Debug_in_json_needs_the_debug_scope()
    {
        var json = $$$"""{"image":{"base64":"{{{Convert.ToBase64String(TestImages.Jpeg())}}}"},"debug":true}""";

        using var denied = await _host.Http.SendAsync(SignedJson(json), Ct);
        using var allowed = await _host.Http.SendAsync(SignedJson(json, Debugger), Ct);

        await ScanApiTests.AssertProblemAsync(denied, 403, "debug_scope_required");
        Assert.Equal(HttpStatusCode.Accepted, allowed.StatusCode);
        Assert.True(Assert.Single(_host.Scans.Scans.Values).Source.Api!.DebugRequested);
    }

    [Fact]
    public async Task Same_image_as_raw_and_as_json_under_one_webhook_id_is_the_same_request()
    {
        var jpeg = TestImages.Jpeg();
        using var raw = await _host.Http.SendAsync(Signed(HttpMethod.Post, "/v1/scans", Raw(jpeg, null), webhookId: "msg_same"), Ct);
        using var json = await _host.Http.SendAsync(SignedJson($$$"""{"image":{"base64":"{{{Convert.ToBase64String(jpeg)}}}"}}""", webhookId: "msg_same"), Ct);

        Assert.Equal(HttpStatusCode.Accepted, raw.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, json.StatusCode);
        Assert.Single(_host.Scans.Scans);
    }

    [Fact]
    public async Task Json_body_over_the_inline_limit_is_413_naming_the_upload_route()
    {
        await using var host = await StartAsync(new Dictionary<string, string?> { ["CatWrangler:Api:InlineMaxBytes"] = "2000" });
        var json = $$$"""{"image":{"base64":"{{{Convert.ToBase64String(TestImages.Jpeg(400, 300))}}}"}}""";

        using var response = await host.Http.SendAsync(SignedJson(json), Ct);

        await ScanApiTests.AssertProblemAsync(response, 413, "too_large");
        var problem = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct);
        Assert.Equal("/v1/uploads", problem.GetProperty("uploadRoute").GetString());
        Assert.Contains("/v1/uploads", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    internal static HttpRequestMessage SignedJson(string json, string client = Acme, string? webhookId = null)
        => Signed(HttpMethod.Post, "/v1/scans", new StringContent(json, Encoding.UTF8, "application/json"), client, webhookId: webhookId);

    /// <summary>Signed by the official npm <c>standardwebhooks</c> library over the JSON text (or an empty string for a GET).</summary>
    internal static async Task<HttpRequestMessage> OfficiallySignedAsync(HttpMethod method, string path, string? json, string client = Acme, string? secret = null)
    {
        var id = "msg_" + Guid.NewGuid().ToString("N");
        var at = DateTimeOffset.UtcNow;
        var request = new HttpRequestMessage(method, path) { Content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add(ApiHeaders.Client, client);
        request.Headers.Add(ApiHeaders.WebhookId, id);
        request.Headers.Add(ApiHeaders.WebhookTimestamp, at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(ApiHeaders.WebhookSignature, await OfficialStandardWebhooks.SignAsync(secret ?? SecretOf(client), id, at, json ?? ""));
        return request;
    }
}
