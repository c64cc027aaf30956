using CatWrangler.Slack;
using CatWrangler.Slack.Commands;
using System.Text;
using CatWrangler.Bot.Tests.Support;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;
using CatWrangler.Platform;
using CatWrangler.Processor;
using CatWrangler.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CatWrangler.Bot.Tests;

/// <summary>
/// The whole Slack path over Socket Mode, as `catscan serve` runs it with an app-level token and no public URL: envelope on
/// the WebSocket → ack → SQLite scan and job → processor → real ONNX detector → thread reply on the WireMock Slack.
/// </summary>
public sealed class SlackSocketModeEndToEndTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly FakeSlack slack = new();
    private readonly string dataPath = Path.Combine(Path.GetTempPath(), "catwrangler-socket-e2e-" + Guid.NewGuid().ToString("N"));
    private SocketModeStandIn standIn = null!;
    private BotHost? host;

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        standIn = await SocketModeStandIn.StartAsync();
        slack.Ok("apps.connections.open", System.Text.Json.JsonSerializer.Serialize(new { ok = true, url = standIn.Url }));
    }

    public async ValueTask DisposeAsync()
    {
        if (host is not null)
        {
            await host.DisposeAsync();
        }

        await standIn.DisposeAsync();
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

    [Fact]
    public async Task A_cat_photo_announced_over_socket_mode_gets_one_threaded_yes()
    {
        EndToEndEnvironment.Require();
        var config = BotHost.SlackConfiguration(slack);
        config[SlackOptions.AppTokenKey] = SlackSocketModeTests.AppToken;
        config["CatWrangler:Platform"] = "local";
        config["CatWrangler:DataPath"] = dataPath;
        foreach (var (key, value) in EndToEndEnvironment.Configuration())
        {
            config[key] = value;
        }

        host = await BotHost.StartAsync(config, (services, configuration) =>
        {
            services.AddCatWranglerPlatform(configuration);
            services.AddSlackBot(configuration);
            services.AddProcessor(configuration);
            services.AddSlackProcessing(configuration);
        });
        var name = EndToEndEnvironment.CatImage;
        var file = new SlackFileSpec("F0SOCKCAT", name, "image/jpeg", new FileInfo(RepoPaths.EvalImage(name)).Length);
        slack.File(file, File.ReadAllBytes(RepoPaths.EvalImage(name)), file.MimeType);
        await standIn.ConnectionAsync(1, Patience);

        var delivery = await standIn.DeliverAsync("events_api", Fixtures.FileShare(file, "Ev0SOCKCAT", slack.BaseUrl));
        await delivery.Ack.WaitAsync(Patience, Ct);
        await Eventually.TrueAsync(() => slack.Replies().Count > 0, Patience, "the thread reply was posted");

        var scan = Assert.Single(await host.Services.GetRequiredService<IScanStore>().ListRecentAsync(new ScanListQuery(SlackChannelId: Fixtures.Channel), Ct));
        Assert.Equal(ScanStatus.Done, scan.Status);
        var reply = Assert.Single(slack.Replies());
        Assert.StartsWith("*Yes (cat ", reply.GetProperty("text").GetString());
        Assert.Contains(scan.Id, reply.GetProperty("text").GetString());
        Assert.Equal(file.Ts, reply.GetProperty("thread_ts").GetString());
        WriteTranscript();
    }

    /// <summary>The frames on the socket and the Web API calls, in time order, for docs/slack.md.</summary>
    private void WriteTranscript()
    {
        var lines = standIn.TimedTranscript
            .Concat(slack.Server.LogEntries.Select(e => (At: e.RequestMessage!.DateTime.ToUniversalTime(), Line: WebApiLine(e))))
            .OrderBy(l => l.At)
            .Select(l => l.Line);
        var text = new StringBuilder();
        foreach (var line in lines)
        {
            text.AppendLine(line);
        }

        var dir = Path.Combine(RepoPaths.Root, "artifacts");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "slack-socket-mode-transcript.txt"), text.ToString());
    }

    private static string WebApiLine(WireMock.Logging.ILogEntry entry)
    {
        var request = entry.RequestMessage!;
        var auth = request.Headers?.TryGetValue("Authorization", out var values) == true ? $" (Authorization: {values.Single()[..12]}…)" : "";
        return $"<= {request.Method} {request.Path}{auth} → {entry.ResponseMessage!.StatusCode}" + (request.Body is { Length: > 0 } body ? "\n   " + body : "");
    }
}
