using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;
using CatWrangler.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using static CatWrangler.Pipeline.Tests.Api.ApiTestHost;

namespace CatWrangler.Pipeline.Tests.Api;

/// <summary>
/// The served OpenAPI document against outside judges: Redocly's recommended rules, and a JSON Schema 2020-12 validator
/// that every live response of the API tests already passes through (<see cref="OpenApiValidatingHandler"/>).
/// </summary>
public sealed class OpenApiDocumentTests : IAsyncLifetime
{
    private ApiTestHost _host = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _host = await StartAsync();

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Redocly_recommended_rules_report_no_errors()
    {
        var document = await _host.Http.GetStringAsync(OpenApiValidatingHandler.DocumentPath, Ct);
        var home = await NpmPackages.InstallAsync(Path.Combine(AppContext.BaseDirectory, "Api", "RedoclyJs"), "redocly", ["redocly.yaml"]);
        var file = Path.Combine(home, "openapi-" + Guid.NewGuid().ToString("N") + ".json");
        await File.WriteAllTextAsync(file, document, Ct);
        try
        {
            var (code, stdout, stderr) = await NpmPackages.RunAsync(
                home, null, "env", "REDOCLY_TELEMETRY=off", "REDOCLY_SUPPRESS_UPDATE_NOTICE=true",
                "node", Path.Combine(home, "node_modules", "@redocly", "cli", "bin", "cli.js"), "lint", file, "--config", Path.Combine(home, "redocly.yaml"), "--format", "json");

            // Redocly exits non-zero exactly when a rule of severity error fires.
            Assert.True(code == 0, $"redocly lint failed ({code}):\n{stdout}{stderr}");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Numbers_are_plain_integers_and_the_security_scheme_applies_to_signed_operations()
    {
        using var document = JsonDocument.Parse(await _host.Http.GetStringAsync(OpenApiValidatingHandler.DocumentPath, Ct));
        var root = document.RootElement;

        Assert.Equal("integer", root.GetProperty("components").GetProperty("schemas").GetProperty("ScanView").GetProperty("properties").GetProperty("attempts").GetProperty("type").GetString());
        var schemes = root.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("CatWrangler-Client", schemes.GetProperty("client").GetProperty("name").GetString());
        Assert.Equal("webhook-signature", schemes.GetProperty("webhookSignature").GetProperty("name").GetString());
        var submit = root.GetProperty("paths").GetProperty("/v1/scans").GetProperty("post");
        Assert.Equal(["client", "webhookId", "webhookSignature", "webhookTimestamp"], submit.GetProperty("security")[0].EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(["callback_url", "debug", "reference"], submit.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).Order());
        Assert.True(submit.GetProperty("responses").GetProperty("202").GetProperty("headers").TryGetProperty("Location", out _));
        Assert.True(submit.GetProperty("responses").GetProperty("429").GetProperty("headers").TryGetProperty("Retry-After", out _));
        Assert.Equal(0, root.GetProperty("paths").GetProperty("/v1/uploads/{uploadId}").GetProperty("put").GetProperty("security").GetArrayLength());
    }

    [Fact]
    public async Task The_validator_rejects_bodies_of_the_wrong_shape()
    {
        var contract = new OpenApiContract(await _host.Http.GetStringAsync(OpenApiValidatingHandler.DocumentPath, Ct));
        var delivery = contract.Schema("DeliveryAttempt");

        Assert.Empty(contract.ValidateAgainst(delivery, JsonNode.Parse("""{"attempt":1,"at":"2026-01-01T00:00:00Z","outcome":"timeout","error":"timeout"}""")));
        Assert.NotEmpty(contract.ValidateAgainst(delivery, JsonNode.Parse("""{"attempt":"1","at":"2026-01-01T00:00:00Z","outcome":"delivered"}""")));
        Assert.NotEmpty(contract.ValidateAgainst(delivery, JsonNode.Parse("""{"attempt":1,"at":"2026-01-01T00:00:00Z"}""")));
        Assert.NotEmpty(contract.ValidateAgainst(contract.Schema("ScanView"), JsonNode.Parse("""{"id":"x","status":"exploded","receivedAt":"2026-01-01T00:00:00Z","expiresAt":"2026-01-01T00:00:00Z"}""")));
        Assert.NotEmpty(contract.ValidateAgainst(contract.Schema("ScanView"), JsonNode.Parse("""{"id":"x","status":"done","receivedAt":"2026-01-01T00:00:00Z","expiresAt":"2026-01-01T00:00:00Z","attempts":1.5}""")));
    }

    [Fact]
    public async Task A_response_the_document_does_not_describe_fails_the_request()
    {
        var error = await Assert.ThrowsAsync<OpenApiContractException>(() => _host.Http.GetAsync("/v1/nothing-here", Ct));

        Assert.Contains("no documented path", error.Message);
    }

    [Fact]
    public async Task A_done_scan_with_delivered_and_failed_callbacks_and_debug_data_validates()
    {
        var at = DateTimeOffset.UtcNow;
        var scan = new Scan
        {
            Id = Scan.NewId(),
            Status = ScanStatus.Done,
            Source = ScanSource.FromApi(new ApiOrigin(Debugger, "https://receiver.example/hook", "ref-1", DebugRequested: true)),
            Verdict = new Verdict(true, 0.91, [new BoundingBox(1, 2, 30, 40, 0.91)], [new LabelScore("cat", 0.91)], "onnx-centernet", "test", 0.2),
            ReceivedAt = at,
            StartedAt = at,
            CompletedAt = at,
            Attempts = 2,
            Debug = new ScanDebug
            {
                TimingsMs = new Dictionary<string, double> { ["total"] = 12.5 },
                ModelInput = "512x512 letterbox",
                RawTopScores = [new LabelScore("cat", 0.91)],
                AttemptLog = [new AttemptRecord(1, at, null, "abandoned", null), new AttemptRecord(2, at, at, "done", null)],
            },
            Deliveries = [new DeliveryAttempt(1, at, null, "connection_failed", "connection_failed"), new DeliveryAttempt(2, at, 200, "delivered", null)],
            ExpiresAt = at.AddDays(30),
        };
        await _host.Services.GetRequiredService<IScanStore>().TryCreateAsync(scan, Ct);

        // The validating client throws if the body does not match the document.
        using var response = await _host.Http.SendAsync(Signed(HttpMethod.Get, $"/v1/scans/{scan.Id}?debug=true", null, client: Debugger), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.False(body.RootElement.GetProperty("deliveries")[0].TryGetProperty("statusCode", out _));
        Assert.False(body.RootElement.GetProperty("debug").GetProperty("attemptLog")[0].TryGetProperty("endedAt", out _));
    }
}
