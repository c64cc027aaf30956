using Microsoft.Extensions.DependencyInjection;
using System.Text;
using CatWrangler.Core.Scans;
using CatWrangler.Core.Security;
using CatWrangler.TestSupport;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace CatWrangler.Pipeline.Tests.EndToEnd;

/// <summary>
/// The embedded default end to end, as `catscan serve` composes it: signed API upload → file store + SQLite → local
/// worker → real ONNX detector → verdict → signed callback.
/// </summary>
public sealed class ServeEndToEndTests(ModelFixture model) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly string _data = Directory.CreateTempSubdirectory("catwrangler-serve-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task A_cat_and_a_dog_photo_get_the_right_verdicts_and_the_cat_a_signed_callback()
    {
        Assert.True(File.Exists(model.ModelPath));
        var cat = RepoPaths.EvalImage("cat_0046.jpg");
        var dog = RepoPaths.EvalImage("nocat_0015.jpg");
        using var receiver = WireMockServer.Start();
        receiver.Given(Request.Create().WithPath("/hook").UsingPost()).RespondWith(Response.Create().WithStatusCode(204));
        await using var app = await ServeHost.StartInProcessAsync(_data);
        using var http = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };

        var catScan = await ServeHost.SubmitAsync(http, cat, receiver.Url + "/hook");
        var dogScan = await ServeHost.SubmitAsync(http, dog);
        Assert.Equal(ScanStatus.Queued, catScan.Status);

        var catDone = await ServeHost.WaitTerminalAsync(http, catScan.Id, Patience);
        var dogDone = await ServeHost.WaitTerminalAsync(http, dogScan.Id, Patience);

        Assert.Equal(ScanStatus.Done, catDone.Status);
        Assert.True(catDone.Verdict!.IsCat);
        Assert.NotEmpty(catDone.Verdict.Boxes);
        Assert.Equal(ScanStatus.Done, dogDone.Status);
        Assert.False(dogDone.Verdict!.IsCat);
        Assert.Null(dogDone.Debug);
        Assert.True(File.Exists(Path.Combine(_data, "catwrangler.db")));
        Assert.Single(Directory.GetFiles(Path.Combine(_data, "images"), catDone.Image!.Sha256, SearchOption.AllDirectories));

        // The processor drew the cat's picture before saving the verdict; the API serves it, the dog has none.
        using (var picture = await http.SendAsync(Api.ApiTestHost.Signed(HttpMethod.Get, $"/v1/scans/{catScan.Id}/annotated", null, secret: ServeHost.Secret), TestContext.Current.CancellationToken))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, picture.StatusCode);
            Assert.Equal("image/png", picture.Content.Headers.ContentType?.MediaType);
            var png = await picture.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        }

        using (var none = await http.SendAsync(Api.ApiTestHost.Signed(HttpMethod.Get, $"/v1/scans/{dogScan.Id}/annotated", null, secret: ServeHost.Secret), TestContext.Current.CancellationToken))
        {
            Assert.Equal(System.Net.HttpStatusCode.NotFound, none.StatusCode);
        }

        await Eventually.TrueAsync(() => receiver.LogEntries.Any(), Patience, "no callback arrived");

        var callback = Assert.Single(receiver.LogEntries).RequestMessage!;
        var check = StandardWebhooksSignature.Verify(
            [ServeHost.Secret], callback.Headers![StandardWebhooksSignature.IdHeader].Single(), callback.Headers[StandardWebhooksSignature.TimestampHeader].Single(),
            callback.Headers[StandardWebhooksSignature.SignatureHeader].Single(), Encoding.UTF8.GetBytes(callback.Body!), DateTimeOffset.UtcNow);
        Assert.Equal(SignatureCheck.Valid, check);
        Assert.Contains(catScan.Id, callback.Body);
    }

    [Fact]
    public async Task A_json_submission_signed_by_the_official_library_completes_and_its_callback_verifies_with_the_library()
    {
        Assert.True(File.Exists(model.ModelPath));
        var cat = await File.ReadAllBytesAsync(RepoPaths.EvalImage("cat_0046.jpg"), TestContext.Current.CancellationToken);
        using var receiver = WireMockServer.Start();
        receiver.Given(Request.Create().WithPath("/hook").UsingPost()).RespondWith(Response.Create().WithStatusCode(204));
        await using var app = await ServeHost.StartInProcessAsync(_data);
        using var http = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };
        var json = System.Text.Json.JsonSerializer.Serialize(new { image = new { base64 = Convert.ToBase64String(cat) }, callbackUrl = receiver.Url + "/hook", reference = "official" });

        using var request = await Api.JsonSubmissionTests.OfficiallySignedAsync(HttpMethod.Post, "/v1/scans", json, secret: ServeHost.Secret);
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        var accepted = (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<ScanView>(response.Content, Core.Json.CatWranglerJson.Options, TestContext.Current.CancellationToken))!;

        var done = await ServeHost.WaitTerminalAsync(http, accepted.Id, Patience);
        Assert.Equal(ScanStatus.Done, done.Status);
        Assert.True(done.Verdict!.IsCat);
        Assert.Equal("official", done.Reference);

        await Eventually.TrueAsync(() => receiver.LogEntries.Any(), Patience, "no callback arrived");

        var callback = Assert.Single(receiver.LogEntries).RequestMessage!;
        var headers = callback.Headers!.ToDictionary(h => h.Key, h => h.Value.Single(), StringComparer.OrdinalIgnoreCase);
        Assert.Null(await OfficialStandardWebhooks.VerifyAsync(ServeHost.Secret, headers, callback.Body!));
        Assert.NotNull(await OfficialStandardWebhooks.VerifyAsync(StandardWebhooksSignature.NewSecret(), headers, callback.Body!));
        Assert.Contains(accepted.Id, callback.Body);
    }

    [Fact]
    public async Task Nothing_accepted_is_lost_when_the_server_is_killed_mid_processing()
    {
        Assert.True(File.Exists(model.ModelPath));
        var files = Directory.GetFiles(Path.Combine(RepoPaths.RequireEvalDirectory(), "images")).Order().Take(12).ToList();
        var port = ServeHost.FreePort();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        var first = ServeHost.StartProcess(_data, port);
        List<string> ids;
        try
        {
            await ServeHost.WaitHealthyAsync(http, Patience);
            ids = [];
            foreach (var file in files)
            {
                ids.Add((await ServeHost.SubmitAsync(http, file)).Id);
            }
        }
        finally
        {
            first.Kill(); // SIGKILL: no graceful shutdown, leases and half-done work stay as they are
            await first.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        var second = ServeHost.StartProcess(_data, port);
        try
        {
            await ServeHost.WaitHealthyAsync(http, Patience);
            foreach (var id in ids)
            {
                // Jobs leased by the killed process come back when their default 30 s lease runs out (no heartbeat renews it).
                var scan = await ServeHost.WaitTerminalAsync(http, id, Patience);
                Assert.Equal(ScanStatus.Done, scan.Status);
                Assert.NotNull(scan.Verdict);
            }
        }
        finally
        {
            second.Kill();
            await second.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
    }
}
