using CatWrangler.Slack;
using CatWrangler.Slack.Commands;
using System.Net.WebSockets;
using System.Text.Json;
using CatWrangler.Bot.Commands;
using CatWrangler.Bot.SocketMode;
using CatWrangler.Bot.Tests.Support;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;
using CatWrangler.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CatWrangler.Bot.Tests;

/// <summary>
/// Socket Mode against <see cref="SocketModeStandIn"/> (Slack's envelope protocol on a real WebSocket) with the bot on the
/// real local store and queue: acknowledgements, the shared intake and its deduplication, refresh and drop handling.
/// </summary>
public sealed class SlackSocketModeTests : IAsyncLifetime
{
    public const string AppToken = "xapp-1-A0CATSCAN-1234567890-0123456789abcdef";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly FakeSlack slack = new();
    private readonly LocalPorts ports = new();
    private SocketModeStandIn standIn = null!;
    private BotHost? started;

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private BotHost Host => started ?? throw new InvalidOperationException("Call StartBotAsync first.");

    public async ValueTask InitializeAsync()
    {
        standIn = await SocketModeStandIn.StartAsync();
        slack.Ok("apps.connections.open", JsonSerializer.Serialize(new { ok = true, url = standIn.Url }));
    }

    public async ValueTask DisposeAsync()
    {
        if (started is not null)
        {
            await started.DisposeAsync();
        }

        await standIn.DisposeAsync();
        slack.Dispose();
        ports.Dispose();
    }

    private async Task StartBotAsync(Action<Dictionary<string, string?>>? tweak = null)
    {
        started = await BotHost.StartOnLocalPortsAsync(slack, ports, config =>
        {
            config[SlackOptions.AppTokenKey] = AppToken;
            config["CatWrangler:Slack:SocketMode:ReconnectDelay"] = "00:00:00.050";
            config["CatWrangler:Slack:SocketMode:MaxReconnectDelay"] = "00:00:00.200";
            tweak?.Invoke(config);
        });
    }

    private SocketModeService Service => Host.Services.GetServices<IHostedService>().OfType<SocketModeService>().Single();

    private static SlackFileSpec Photo(string fileId) => new(fileId, fileId.ToLowerInvariant() + ".jpg", "image/jpeg", 52_000);

    private string FileShareEvent(string fileId, string eventId) => Fixtures.FileShare(Photo(fileId), eventId, slack.BaseUrl);

    private IReadOnlyList<Scan> ScansOf(string fileId) => [.. ports.Scans.Where(s => s.Source.Slack?.FileId == fileId)];

    [Fact]
    public async Task An_event_over_socket_mode_is_acknowledged_by_envelope_id_and_queued_as_one_scan()
    {
        await StartBotAsync();
        var connection = await standIn.ConnectionAsync(1, Patience);

        var delivery = await standIn.DeliverAsync("events_api", FileShareEvent("F0SOCK1", "Ev0SOCK1"));
        var ack = await delivery.Ack.WaitAsync(Patience, Ct);

        // The ack names the envelope and nothing else (events take no response payload).
        Assert.Equal(delivery.EnvelopeId, ack.GetProperty("envelope_id").GetString());
        Assert.Single(ack.EnumerateObject());
        var scan = Assert.Single(ports.Scans);
        Assert.Equal(new SlackOrigin("T0CATS", Fixtures.Channel, Fixtures.Alice, "F0SOCK1", "1764310000.000100", null, "Ev0SOCK1", "f0sock1.jpg", "image/jpeg", 52_000), scan.Source.Slack);
        Assert.Equal(new WorkItem(scan.Id, WorkKind.Process), Assert.Single(ports.Jobs));

        // apps.connections.open was called with the app-level token, never the bot token.
        var open = Assert.Single(slack.Calls("/api/apps.connections.open"));
        Assert.Equal("Bearer " + AppToken, open.RequestMessage!.Headers!["Authorization"].Single());

        // The same event in a new envelope (Slack's retry of the event itself) is acknowledged and deduplicated by event id.
        var retry = await standIn.DeliverAsync("events_api", FileShareEvent("F0SOCK1", "Ev0SOCK1"));
        await retry.Ack.WaitAsync(Patience, Ct);
        Assert.Single(ports.Scans);

        // Shutdown closes the socket with a close frame, not a dropped connection.
        await Host.DisposeAsync();
        started = null;
        await connection.Closed.WaitAsync(Patience, Ct);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, connection.CloseStatusFromApp);
        WriteTranscript();
    }

    [Fact]
    public async Task A_slash_command_over_socket_mode_is_answered_in_the_acknowledgement()
    {
        await StartBotAsync();
        await standIn.ConnectionAsync(1, Patience);

        var delivery = await standIn.DeliverAsync("slash_commands", SocketModeStandIn.SlashCommand("help", slack.ResponseUrl), acceptsResponsePayload: true);
        var ack = await delivery.Ack.WaitAsync(Patience, Ct);

        Assert.Equal(delivery.EnvelopeId, ack.GetProperty("envelope_id").GetString());
        var payload = ack.GetProperty("payload");
        Assert.Equal(CatscanCommand.Usage, payload.GetProperty("text").GetString());
        Assert.Equal("ephemeral", payload.GetProperty("response_type").GetString());
        Assert.Empty(slack.Calls("/commands/T0CATS/1234567890/responseurltoken"));
    }

    [Fact]
    public async Task A_slash_command_over_socket_mode_uses_the_same_intake_limits_as_http()
    {
        await StartBotAsync();
        await standIn.ConnectionAsync(1, Patience);

        var tooLong = await standIn.DeliverAsync("slash_commands", SocketModeStandIn.SlashCommand(new string('a', SlashCommandIntake.MaxTextLength + 1), slack.ResponseUrl), acceptsResponsePayload: true);
        var noChannel = await standIn.DeliverAsync("slash_commands", SocketModeStandIn.SlashCommand("status", slack.ResponseUrl, channel: ""), acceptsResponsePayload: true);

        Assert.StartsWith("Sorry, that is longer than any", (await tooLong.Ack.WaitAsync(Patience, Ct)).GetProperty("payload").GetProperty("text").GetString());
        // Not a command at all: acknowledged (so Slack stops), with nothing to show.
        Assert.False((await noChannel.Ack.WaitAsync(Patience, Ct)).TryGetProperty("payload", out _));
    }

    [Fact]
    public async Task A_refresh_mid_stream_opens_the_new_connection_before_closing_the_old_and_handles_every_event_once()
    {
        await StartBotAsync();
        var first = await standIn.ConnectionAsync(1, Patience);
        var before = await standIn.DeliverAsync("events_api", FileShareEvent("F0REFA", "Ev0REFA"));
        await before.Ack.WaitAsync(Patience, Ct);

        await first.SendAsync(SocketModeStandIn.Disconnect("refresh_requested"));
        // Slack keeps using the old connection for a moment after asking for the refresh.
        var during = await standIn.DeliverAsync("events_api", FileShareEvent("F0REFB", "Ev0REFB"));
        var second = await standIn.ConnectionAsync(2, Patience);
        var after = await standIn.DeliverAsync("events_api", FileShareEvent("F0REFC", "Ev0REFC"));

        await Task.WhenAll(during.Ack, after.Ack).WaitAsync(Patience, Ct);
        await first.Closed.WaitAsync(Patience, Ct);
        Assert.True(second.OpenedAt < first.ClosedAt, "the replacement was open before the old connection closed");
        Assert.Equal(WebSocketCloseStatus.NormalClosure, first.CloseStatusFromApp);
        Assert.True(second.IsOpen);
        Assert.Equal(2, standIn.Connections.Count);
        Assert.All(new[] { "F0REFA", "F0REFB", "F0REFC" }, file => Assert.Single(ScansOf(file)));
        Assert.Equal(3, ports.Jobs.Count);
        WriteTranscript();
    }

    [Theory]
    [InlineData("warning")]
    [InlineData("refresh_requested")]
    public async Task A_disconnect_notice_is_followed_by_exactly_one_replacement(string reason)
    {
        await StartBotAsync();
        var first = await standIn.ConnectionAsync(1, Patience);

        await first.SendAsync(SocketModeStandIn.Disconnect(reason));
        await first.Closed.WaitAsync(Patience, Ct);
        var second = await standIn.ConnectionAsync(2, Patience);
        var delivery = await standIn.DeliverAsync("events_api", FileShareEvent("F0NOTICE", "Ev0NOTICE"));
        await delivery.Ack.WaitAsync(Patience, Ct);

        Assert.Equal([2], delivery.SentOn);
        Assert.Equal(2, standIn.Connections.Count);
        Assert.True(second.IsOpen);
    }

    [Fact]
    public async Task A_dropped_socket_is_replaced_and_the_redelivered_envelope_is_handled_once()
    {
        await StartBotAsync();
        var first = await standIn.ConnectionAsync(1, Patience);
        first.IgnoreAcks = true;

        var delivery = await standIn.DeliverAsync("events_api", FileShareEvent("F0DROP", "Ev0DROP"));
        // The bot handled it and acknowledged, but the ack never reached Slack; then the network fails.
        await Eventually.TrueAsync(() => delivery.LostAcks.Count == 1, Patience, "the bot acknowledged the envelope");
        first.Drop();

        var second = await standIn.ConnectionAsync(2, Patience);
        var ack = await delivery.Ack.WaitAsync(Patience, Ct);

        Assert.Equal(delivery.EnvelopeId, ack.GetProperty("envelope_id").GetString());
        Assert.Equal([1, 2], delivery.SentOn);
        Assert.Single(ScansOf("F0DROP"));
        Assert.Single(ports.Jobs);
        Assert.True(second.IsOpen);
        WriteTranscript();
    }

    [Fact]
    public async Task An_envelope_whose_intake_fails_is_not_acknowledged_so_slack_delivers_it_again()
    {
        var failing = new FailingOnceScanStore(ports.Store);
        var config = BotHost.SlackConfiguration(slack);
        config[SlackOptions.AppTokenKey] = AppToken;
        config["CatWrangler:Slack:SocketMode:ReconnectDelay"] = "00:00:00.050";
        started = await BotHost.StartAsync(config, (services, configuration) =>
        {
            services.AddSingleton<ISecretStore>(new DictionarySecretStore(config));
            services.AddSingleton<IScanStore>(failing);
            services.AddSingleton<IWorkQueue>(ports.Queue);
            services.AddSingleton(new Core.CatWranglerOptions());
            services.AddSingleton(new Core.Images.ImageLimits());
            services.AddSlackBot(configuration);
        });
        var first = await standIn.ConnectionAsync(1, Patience);

        var delivery = await standIn.DeliverAsync("events_api", FileShareEvent("F0FAIL", "Ev0FAIL"));
        await Eventually.TrueAsync(() => failing.Failed, Patience, "the store failed once");
        // Slack redelivers what was not acknowledged when the connection goes away.
        first.Drop();
        await delivery.Ack.WaitAsync(Patience, Ct);

        Assert.Equal([1, 2], delivery.SentOn);
        Assert.Single(ScansOf("F0FAIL"));
    }

    [Fact]
    public async Task A_connection_that_stops_answering_pings_is_given_up_and_replaced()
    {
        standIn.SilentConnections.Add(1);
        await StartBotAsync(config => config["CatWrangler:Slack:SocketMode:KeepAliveInterval"] = "00:00:00.200");
        var first = await standIn.ConnectionAsync(1, Patience);

        // Nothing closes connection 1 on Slack's side: only the missing pongs tell the bot it is gone.
        var second = await standIn.ConnectionAsync(2, Patience);
        first.Thaw();
        await first.Closed.WaitAsync(Patience, Ct);
        var delivery = await standIn.DeliverAsync("events_api", FileShareEvent("F0PONG", "Ev0PONG"));
        await delivery.Ack.WaitAsync(Patience, Ct);

        Assert.Null(first.CloseStatusFromApp);
        Assert.True(second.IsOpen);
        Assert.Equal([2], delivery.SentOn);
    }

    [Fact]
    public async Task The_announced_connection_time_is_refreshed_before_it_runs_out()
    {
        standIn.ApproximateConnectionTime = 1;
        await StartBotAsync();
        var first = await standIn.ConnectionAsync(1, Patience);

        // No disconnect message at all: the bot replaces the connection on its own, shortly before the second is up.
        var second = await standIn.ConnectionAsync(2, Patience);
        await first.Closed.WaitAsync(Patience, Ct);

        Assert.Equal(WebSocketCloseStatus.NormalClosure, first.CloseStatusFromApp);
        Assert.True(second.OpenedAt < first.ClosedAt);
    }

    [Fact]
    public async Task A_frame_over_the_limit_closes_the_connection_as_too_big_and_a_new_one_takes_over()
    {
        await StartBotAsync(config => config["CatWrangler:Slack:SocketMode:MaxMessageBytes"] = "65536");
        var first = await standIn.ConnectionAsync(1, Patience);

        await first.SendOversizedAsync(200_000);
        await first.Closed.WaitAsync(Patience, Ct);
        await standIn.ConnectionAsync(2, Patience);
        var delivery = await standIn.DeliverAsync("events_api", FileShareEvent("F0AFTER", "Ev0AFTER"));
        await delivery.Ack.WaitAsync(Patience, Ct);

        Assert.Equal(WebSocketCloseStatus.MessageTooBig, first.CloseStatusFromApp);
        Assert.Single(ScansOf("F0AFTER"));
    }

    [Fact]
    public async Task Link_disabled_stops_socket_mode_without_reconnecting()
    {
        await StartBotAsync();
        var first = await standIn.ConnectionAsync(1, Patience);

        await first.SendAsync(SocketModeStandIn.Disconnect("link_disabled"));
        await Service.ExecuteTask!.WaitAsync(Patience, Ct);

        await first.Closed.WaitAsync(Patience, Ct);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, first.CloseStatusFromApp);
        Assert.Single(standIn.Connections);
    }

    [Fact]
    public async Task A_token_slack_refuses_stops_socket_mode_without_retrying()
    {
        slack.Server.Given(WireMock.RequestBuilders.Request.Create().WithPath("/api/apps.connections.open").UsingPost()).AtPriority(1)
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody("""{"ok":false,"error":"invalid_auth"}"""));
        await StartBotAsync();

        await Service.ExecuteTask!.WaitAsync(Patience, Ct);

        Assert.Single(slack.Calls("/api/apps.connections.open"));
        Assert.Empty(standIn.Connections);
    }

    [Fact]
    public async Task Without_an_app_token_socket_mode_stays_off()
    {
        await StartBotAsync(config => config.Remove(SlackOptions.AppTokenKey));

        await Service.ExecuteTask!.WaitAsync(Patience, Ct);

        Assert.Empty(slack.Calls("/api/apps.connections.open"));
        Assert.Empty(standIn.Connections);
    }

    private void WriteTranscript()
    {
        foreach (var line in standIn.Transcript)
        {
            TestContext.Current.TestOutputHelper?.WriteLine(line);
        }
    }

    /// <summary>The real store, except that the first claim fails as a store outage would.</summary>
    private sealed class FailingOnceScanStore(IScanStore inner) : IScanStore
    {
        private int failures;

        public bool Failed => Volatile.Read(ref failures) > 0;

        public Task<bool> TryCreateAsync(Scan scan, CancellationToken cancellationToken) => inner.TryCreateAsync(scan, cancellationToken);

        public Task<Scan?> GetAsync(string id, CancellationToken cancellationToken) => inner.GetAsync(id, cancellationToken);

        public Task SaveAsync(Scan scan, CancellationToken cancellationToken) => inner.SaveAsync(scan, cancellationToken);

        public Task<IReadOnlyList<Scan>> ListRecentAsync(ScanListQuery query, CancellationToken cancellationToken) => inner.ListRecentAsync(query, cancellationToken);

        public Task<IdempotencyClaim> ClaimAsync(string scope, string key, string fingerprint, string scanId, DateTimeOffset expiresAt, CancellationToken cancellationToken)
            => Interlocked.Increment(ref failures) == 1
                ? throw new IOException("the scan store is unavailable")
                : inner.ClaimAsync(scope, key, fingerprint, scanId, expiresAt, cancellationToken);
    }
}
