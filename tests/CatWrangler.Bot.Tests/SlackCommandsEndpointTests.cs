using System.Net;
using System.Text.Json;
using CatWrangler.Bot.Commands;
using CatWrangler.Slack.Commands;
using CatWrangler.Bot.Tests.Support;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;
using CatWrangler.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CatWrangler.Bot.Tests;

/// <summary><c>/catscan</c> on the real local store: help, status, debug (power users only), the response_url path.</summary>
public sealed class SlackCommandsEndpointTests : IAsyncDisposable
{
    private readonly FakeSlack slack = new();
    private readonly LocalPorts ports = new();
    private BotHost? host;

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        if (host is not null)
        {
            await host.DisposeAsync();
        }

        slack.Dispose();
        ports.Dispose();
    }

    private async Task<BotHost> StartAsync(IScanStore? storeOverride = null, string budget = "00:00:02")
    {
        host = storeOverride is null
            ? await BotHost.StartOnLocalPortsAsync(slack, ports, c => c["CatWrangler:Slack:CommandInlineBudget"] = budget)
            : await BotHost.StartAsync(Config(budget), (services, configuration) =>
            {
                services.AddSingleton<ISecretStore>(new DictionarySecretStore(Config(budget)));
                services.AddSingleton(storeOverride);
                services.AddSingleton<IWorkQueue>(ports.Queue);
                services.AddSingleton(new Core.CatWranglerOptions());
                services.AddSingleton(new Core.Images.ImageLimits());
                services.AddSlackBot(configuration);
            });
        return host;
    }

    private Dictionary<string, string?> Config(string budget)
    {
        var config = BotHost.SlackConfiguration(slack);
        config["CatWrangler:Slack:CommandInlineBudget"] = budget;
        return config;
    }

    private async Task<(HttpStatusCode Status, JsonElement Json)> RunAsync(string text, string user = Fixtures.Alice, string channel = Fixtures.Channel)
    {
        var response = await host!.Client.SendAsync(SlackSigning.Command(text, user, channel, slack.ResponseUrl), Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, JsonDocument.Parse(body).RootElement);
    }

    private Scan Stored(string channel, string fileName, Verdict? verdict, int minutesAgo)
    {
        var scan = new Scan
        {
            Id = Scan.NewId(),
            Status = verdict is null ? ScanStatus.Queued : ScanStatus.Done,
            Source = ScanSource.FromSlack(new SlackOrigin("T0CATS", channel, Fixtures.Alice, "F" + fileName, "1.1", null, "Ev", fileName, "image/jpeg", 1000)),
            ReceivedAt = DateTimeOffset.UtcNow.AddMinutes(-minutesAgo),
            ExpiresAt = DateTimeOffset.UtcNow.AddDays(1),
            Verdict = verdict,
            Attempts = 1,
            Debug = new ScanDebug
            {
                TimingsMs = new Dictionary<string, double> { ["download"] = 41.5, ["inference"] = 88.2 },
                ModelInput = "640x640 letterbox",
                RawTopScores = [new("cat", 0.91), new("dog", 0.04)],
            },
        };
        ports.Store.SaveAsync(scan, Ct).GetAwaiter().GetResult();
        return scan;
    }

    private static Verdict Verdict(bool isCat, double confidence)
        => new(isCat, confidence, [], [new("cat", isCat ? confidence : 1 - confidence)], "onnx-yolo", "2026.11", 0.42);

    [Fact]
    public async Task Help_is_ephemeral_usage()
    {
        await StartAsync();
        var (status, json) = await RunAsync("help");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ephemeral", json.GetProperty("response_type").GetString());
        Assert.Contains("/catscan status", json.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Status_lists_this_channels_scans_newest_first_and_no_others()
    {
        await StartAsync();
        var older = Stored(Fixtures.Channel, "old.jpg", Verdict(false, 0.8), 10);
        var newer = Stored(Fixtures.Channel, "new.jpg", Verdict(true, 0.97), 1);
        var elsewhere = Stored("C0OTHER", "secret.jpg", Verdict(true, 0.9), 0);

        var text = (await RunAsync("status")).Json.GetProperty("text").GetString()!;

        Assert.True(text.IndexOf(newer.Id, StringComparison.Ordinal) < text.IndexOf(older.Id, StringComparison.Ordinal));
        Assert.Contains("Yes (cat 0.97)", text);
        Assert.Contains("No (top: ", text);
        Assert.DoesNotContain(elsewhere.Id, text);
    }

    [Fact]
    public async Task Status_of_one_scan_shows_its_verdict_but_not_one_from_another_channel()
    {
        await StartAsync();
        var here = Stored(Fixtures.Channel, "here.jpg", Verdict(true, 0.9), 1);
        var there = Stored("C0OTHER", "there.jpg", Verdict(true, 0.9), 1);

        Assert.Contains("Yes (cat 0.90)", (await RunAsync("status " + here.Id)).Json.GetProperty("text").GetString());
        Assert.Contains("can't find", (await RunAsync("status " + there.Id)).Json.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Debug_from_a_non_power_user_is_refused_politely_without_details()
    {
        await StartAsync();
        var scan = Stored(Fixtures.Channel, "kitty.jpg", Verdict(true, 0.91), 1);

        var (status, json) = await RunAsync("debug " + scan.Id, user: Fixtures.Alice);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ephemeral", json.GetProperty("response_type").GetString());
        var text = json.GetProperty("text").GetString()!;
        Assert.Contains("only for CatWrangler power users", text);
        Assert.DoesNotContain("0.42", text);
        Assert.DoesNotContain("inference", text);
    }

    [Fact]
    public async Task Debug_for_a_power_user_shows_timings_labels_detector_threshold_and_attempts()
    {
        await StartAsync();
        var scan = Stored(Fixtures.Channel, "kitty.jpg", Verdict(true, 0.91), 1);

        var (_, json) = await RunAsync("debug " + scan.Id, user: "U0POWER");

        var text = json.GetProperty("text").GetString()!;
        Assert.Equal("ephemeral", json.GetProperty("response_type").GetString());
        Assert.Contains("onnx-yolo 2026.11, threshold 0.42", text);
        Assert.Contains("inference 88.2 ms", text);
        Assert.Contains("cat 0.910", text);
        Assert.Contains("Attempts: 1", text);
    }

    [Fact]
    public async Task An_unknown_subcommand_gets_the_usage()
    {
        await StartAsync();
        var text = (await RunAsync("purr loudly")).Json.GetProperty("text").GetString()!;
        Assert.Contains("don't know `purr loudly`", text);
        Assert.Contains("/catscan help", text);
    }

    [Fact]
    public async Task An_unsigned_command_is_401()
    {
        await StartAsync();
        var request = SlackSigning.Command("status", Fixtures.Alice, Fixtures.Channel, slack.ResponseUrl);
        request.Headers.Remove(Security.SlackRequestVerifier.SignatureHeader);
        var response = await host!.Client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_slow_answer_is_acknowledged_at_once_queued_durably_and_not_posted_by_the_bot()
    {
        Stored(Fixtures.Channel, "slow.jpg", Verdict(true, 0.9), 1);
        await StartAsync(new UnansweredListStore(ports.Store), budget: "00:00:00.100");

        var (status, json) = await RunAsync("status");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(Commands.SlashCommandIntake.WorkingOnIt, json.GetProperty("text").GetString());
        var job = Assert.Single(ports.Jobs);
        Assert.Equal(WorkKind.SlackCommand, job.Kind);
        var queued = ports.StoredScans.Query("SELECT payload FROM jobs", r => r.GetString(0)).Single();
        Assert.Equal(
            new SlashCommand(Fixtures.TeamId, Fixtures.Channel, Fixtures.Alice, "status", new Uri(slack.ResponseUrl)),
            SlashCommand.FromPayload(queued));
    }

    [Fact]
    public async Task An_overlong_command_text_gets_the_usage_without_any_lookup()
    {
        await StartAsync();
        var text = (await RunAsync("status " + new string('x', 600))).Json.GetProperty("text").GetString()!;
        Assert.Contains("/catscan help", text);
        Assert.Empty(ports.Jobs);
    }
}
