using System.Net;
using System.Text;
using System.Text.Json;
using CatWrangler.Bot.Tests.Support;
using CatWrangler.Adapters.Local;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;
using CatWrangler.Platform;
using CatWrangler.Processor;
using CatWrangler.Slack;
using CatWrangler.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace CatWrangler.Bot.Tests;

/// <summary>
/// The whole Slack path in one process, as `catscan serve` runs it: signed event → bot → SQLite scan store and queue →
/// processor → real ONNX detector → thread reply and reactions on a WireMock Slack.
/// </summary>
public sealed class SlackEndToEndTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly FakeSlack slack = new();
    private readonly string dataPath = Path.Combine(Path.GetTempPath(), "catwrangler-slack-e2e-" + Guid.NewGuid().ToString("N"));
    private BotHost? started;

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private BotHost host => started ?? throw new InvalidOperationException("Call StartAsync first.");

    private IScanStore Store => host.Services.GetRequiredService<IScanStore>();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    /// <summary>Starts the one-process host; skips the test when the model or the eval photos are absent.</summary>
    private async Task StartAsync()
    {
        EndToEndEnvironment.Require();
        var config = BotHost.SlackConfiguration(slack);
        config["CatWrangler:Platform"] = "local";
        config["CatWrangler:DataPath"] = dataPath;
        foreach (var (key, value) in EndToEndEnvironment.Configuration())
        {
            config[key] = value;
        }

        started = await BotHost.StartAsync(config, (services, configuration) =>
        {
            services.AddCatWranglerPlatform(configuration);
            services.AddSlackBot(configuration);
            services.AddProcessor(configuration);
            services.AddSlackProcessing(configuration);
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (started is not null)
        {
            await started.DisposeAsync();
        }

        slack.Dispose();
        try
        {
            Directory.Delete(dataPath, recursive: true);
        }
        catch (IOException)
        {
            // A SQLite file may still be closing; the temp folder is not worth failing a test over.
        }
    }

    private static SlackFileSpec EvalFile(string fileId, string evalName)
    {
        var path = RepoPaths.EvalImage(evalName);
        return new SlackFileSpec(fileId, evalName, evalName.EndsWith(".png", StringComparison.Ordinal) ? "image/png" : "image/jpeg", new FileInfo(path).Length);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        var response = await host.Client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response;
    }

    /// <summary>
    /// Waits until the scan of <paramref name="fileId"/> is terminal, its reply has reached the fake Slack and the work
    /// queue has drained: nothing is left that could still post a duplicate, so the caller can count replies.
    /// </summary>
    private async Task<Scan> CompletedAsync(string fileId)
    {
        var scan = await Eventually.ValueAsync(
            async () => (await Store.ListRecentAsync(new ScanListQuery(SlackChannelId: Fixtures.Channel, Limit: 50), Ct)).FirstOrDefault(s => s.Source.Slack?.FileId == fileId),
            found => found is { IsTerminal: true } && slack.Replies().Any(r => r.GetProperty("text").GetString()!.Contains(found.Id, StringComparison.Ordinal)),
            Patience,
            $"no completed scan and reply for {fileId}");
        await DrainedAsync();
        return scan!;
    }

    private Task DrainedAsync()
        => new StoredJobs(new StoredScans(host.Services.GetRequiredService<SqliteDatabase>(), Store)).DrainedAsync(Patience);

    [Fact]
    public async Task A_cat_photo_gets_exactly_one_threaded_yes()
    {
        await StartAsync();
        var file = EvalFile("F0CAT", EndToEndEnvironment.CatImage);
        slack.File(file, File.ReadAllBytes(RepoPaths.EvalImage(file.Name)), file.MimeType);
        var eventJson = Fixtures.FileShare(file, "Ev0CAT", slack.BaseUrl);
        var request = SlackSigning.Event(eventJson);
        var transcript = new Transcript(request, eventJson);

        var response = await SendAsync(request);
        var scan = await CompletedAsync(file.FileId);

        Assert.Equal(ScanStatus.Done, scan.Status);
        Assert.True(scan.Verdict!.IsCat);
        var reply = Assert.Single(slack.Replies());
        Assert.StartsWith("*Yes (cat ", reply.GetProperty("text").GetString());
        Assert.Equal(file.Ts, reply.GetProperty("thread_ts").GetString());
        // The reply is the annotated picture, shared into the thread the way Slack documents it.
        Assert.Empty(SlackUploadContract.Violations(slack));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, Assert.Single(slack.Calls(FakeSlack.UploadPath)).RequestMessage!.BodyAsBytes![..4]);
        Assert.Contains(slack.Posted("reactions.add"), r => r.GetProperty("name").GetString() == "cat");
        transcript.Write(response, slack, "slack-e2e-transcript.md");
    }

    [Fact]
    public async Task A_dog_photo_gets_one_no()
    {
        await StartAsync();
        var file = EvalFile("F0DOG", EndToEndEnvironment.DogImage);
        slack.File(file, File.ReadAllBytes(RepoPaths.EvalImage(file.Name)), file.MimeType);

        await SendAsync(SlackSigning.Event(Fixtures.FileShare(file, "Ev0DOG", slack.BaseUrl)));
        var scan = await CompletedAsync(file.FileId);

        Assert.False(scan.Verdict!.IsCat);
        Assert.StartsWith("*No cat*: ", Assert.Single(slack.Replies()).GetProperty("text").GetString());
        Assert.Contains(slack.Posted("reactions.add"), r => r.GetProperty("name").GetString() == "x");
    }

    [Fact]
    public async Task Three_retries_and_a_file_shared_twin_still_give_one_scan_and_one_reply()
    {
        await StartAsync();
        var file = EvalFile("F0ONCE", EndToEndEnvironment.CatImage);
        slack.File(file, File.ReadAllBytes(RepoPaths.EvalImage(file.Name)), file.MimeType);
        var share = Fixtures.FileShare(file, "Ev0ONCE", slack.BaseUrl);

        await SendAsync(SlackSigning.Event(share));
        await SendAsync(SlackSigning.Event(Fixtures.FileShared(file, "Ev0TWIN")));
        for (var retry = 1; retry <= 3; retry++)
        {
            await SendAsync(SlackSigning.Event(share, retry));
        }

        var scan = await CompletedAsync(file.FileId);
        await SendAsync(SlackSigning.Event(share, 3));
        await DrainedAsync();

        Assert.Single(await Store.ListRecentAsync(new ScanListQuery(SlackChannelId: Fixtures.Channel), Ct));
        Assert.Contains(scan.Id, Assert.Single(slack.Replies()).GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_pdf_gets_the_only_jpeg_and_png_reply()
    {
        await StartAsync();
        var pdf = new SlackFileSpec("F0PDF", "report.pdf", "application/pdf", 80_000);
        slack.File(pdf, "%PDF-1.7\n%âãÏÓ\n"u8.ToArray(), "application/pdf");

        await SendAsync(SlackSigning.Event(Fixtures.FileShare(pdf, "Ev0PDF", slack.BaseUrl)));
        var scan = await CompletedAsync(pdf.FileId);

        Assert.Equal(ScanStatus.Failed, scan.Status);
        Assert.Contains("only JPEG and PNG", Assert.Single(slack.Replies()).GetProperty("text").GetString());
        Assert.Empty(slack.Calls(pdf.DownloadPath));
    }

    [Fact]
    public async Task A_sign_in_page_instead_of_the_file_fails_the_scan_with_a_readable_reason()
    {
        await StartAsync();
        var file = new SlackFileSpec("F0LOGIN", "kitty.jpg", "image/jpeg", 50_000);
        slack.File(file, File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "slack_login_page.html")), "text/html; charset=utf-8");

        await SendAsync(SlackSigning.Event(Fixtures.FileShare(file, "Ev0LOGIN", slack.BaseUrl)));
        var scan = await CompletedAsync(file.FileId);

        Assert.Equal(ScanStatus.Failed, scan.Status);
        Assert.Contains("sign-in", scan.Error!.Message);
        var text = Assert.Single(slack.Replies()).GetProperty("text").GetString()!;
        Assert.Contains("couldn't check", text);
        Assert.Contains("sign-in", text);
        Assert.Contains(slack.Posted("reactions.add"), r => r.GetProperty("name").GetString() == "warning");
    }

    [Fact]
    public async Task A_rate_limited_reply_is_retried_after_retry_after_and_delivered()
    {
        await StartAsync();
        slack.Server.Given(Request.Create().WithPath("/api/files.completeUploadExternal").UsingPost()).AtPriority(1)
            .InScenario("rate").WillSetStateTo("cooled")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "1"));
        var file = EvalFile("F0RATE", EndToEndEnvironment.CatImage);
        slack.File(file, File.ReadAllBytes(RepoPaths.EvalImage(file.Name)), file.MimeType);

        await SendAsync(SlackSigning.Event(Fixtures.FileShare(file, "Ev0RATE", slack.BaseUrl)));
        var scan = await CompletedAsync(file.FileId);

        Assert.Equal(2, slack.Calls("/api/files.completeUploadExternal").Count);
        Assert.Empty(slack.Calls("/api/chat.postMessage"));
        Assert.Contains(scan.Id, Assert.Single(slack.Replies()).GetProperty("text").GetString());
    }

    [Fact]
    public async Task Debug_from_a_non_power_user_is_refused_and_a_power_user_sees_the_detector()
    {
        await StartAsync();
        var file = EvalFile("F0DEBUG", EndToEndEnvironment.CatImage);
        slack.File(file, File.ReadAllBytes(RepoPaths.EvalImage(file.Name)), file.MimeType);
        await SendAsync(SlackSigning.Event(Fixtures.FileShare(file, "Ev0DEBUG", slack.BaseUrl)));
        var scan = await CompletedAsync(file.FileId);

        var refused = await SendAsync(SlackSigning.Command("debug " + scan.Id, Fixtures.Alice, Fixtures.Channel, slack.ResponseUrl));
        var allowed = await SendAsync(SlackSigning.Command("debug " + scan.Id, "U0POWER", Fixtures.Channel, slack.ResponseUrl));

        var refusedText = JsonDocument.Parse(await refused.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("text").GetString()!;
        var allowedText = JsonDocument.Parse(await allowed.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("text").GetString()!;
        Assert.Contains("only for CatWrangler power users", refusedText);
        Assert.DoesNotContain(scan.Verdict!.DetectorId, refusedText);
        Assert.Contains(scan.Verdict.DetectorId, allowedText);
        Assert.Contains("threshold", allowedText);
    }

    /// <summary>Records one exchange (request in, Slack calls out) as Markdown under artifacts/, for docs/slack.md.</summary>
    private sealed class Transcript(HttpRequestMessage request, string body)
    {
        private readonly string[] requestHeaders = request.Headers.Select(h => $"{h.Key}: {string.Join(", ", h.Value)}").ToArray();

        public void Write(HttpResponseMessage response, FakeSlack slack, string fileName)
        {
            var text = new StringBuilder();
            text.AppendLine("```http");
            text.AppendLine($"POST {request.RequestUri} HTTP/1.1");
            text.AppendLine("Content-Type: application/json");
            foreach (var header in requestHeaders)
            {
                text.AppendLine(header);
            }

            text.AppendLine();
            text.AppendLine(JsonSerializer.Serialize(JsonDocument.Parse(body).RootElement, Indented));
            text.AppendLine();
            text.AppendLine($"HTTP/1.1 {(int)response.StatusCode} {response.ReasonPhrase}");
            text.AppendLine("```");
            text.AppendLine();
            text.AppendLine("Then, from the processor, the calls the fake Slack received, in order:");
            text.AppendLine();
            text.AppendLine("```http");
            foreach (var call in slack.Server.LogEntries.OrderBy(e => e.RequestMessage!.DateTime))
            {
                var message = call.RequestMessage!;
                text.AppendLine($"{message.Method} {message.Path}  →  {call.ResponseMessage!.StatusCode}");
                if (message.Body is { Length: > 0 } requestBody)
                {
                    text.AppendLine(requestBody.TrimStart().StartsWith('{')
                        ? JsonSerializer.Serialize(JsonDocument.Parse(requestBody).RootElement, Indented)
                        : requestBody);
                }

                text.AppendLine();
            }

            text.AppendLine("```");
            var dir = Path.Combine(RepoPaths.Root, "artifacts");
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, fileName), text.ToString());
        }

        private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    }
}
