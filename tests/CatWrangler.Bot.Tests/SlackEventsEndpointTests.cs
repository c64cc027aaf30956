using System.Net;
using System.Text.Json;
using CatWrangler.Bot.Tests.Support;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;
using CatWrangler.TestSupport;

namespace CatWrangler.Bot.Tests;

/// <summary>The accept path alone (on the real local store and queue): signatures, event kinds, dedupe.</summary>
public sealed class SlackEventsEndpointTests : IAsyncLifetime
{
    private readonly FakeSlack slack = new();
    private readonly LocalPorts ports = new();
    private BotHost host = null!;

    private static readonly SlackFileSpec Photo = new("F0PHOTO1", "kitty.jpg", "image/jpeg", 52_000);

    public async ValueTask InitializeAsync() => host = await BotHost.StartOnLocalPortsAsync(slack, ports);

    public async ValueTask DisposeAsync()
    {
        await host.DisposeAsync();
        slack.Dispose();
        ports.Dispose();
    }

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Url_verification_echoes_the_challenge()
    {
        var response = await host.Client.SendAsync(SlackSigning.Event(Fixtures.Load("url_verification.json", new Dictionary<string, string>())), Ct);
        response.EnsureSuccessStatusCode();
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", json.GetProperty("challenge").GetString());
    }

    [Fact]
    public async Task An_unsigned_event_is_401_problem_json_and_stores_nothing()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/slack/events")
        {
            Content = new StringContent(Fixtures.FileShare(Photo, "Ev0UNSIGNED", slack.BaseUrl), System.Text.Encoding.UTF8, "application/json"),
        };
        var response = await host.Client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("X-Slack-Signature", await response.Content.ReadAsStringAsync(Ct));
        Assert.Empty(ports.Scans);
    }

    [Fact]
    public async Task A_stale_or_wrongly_signed_event_is_401()
    {
        var body = Fixtures.FileShare(Photo, "Ev0STALE", slack.BaseUrl);
        var stale = await host.Client.SendAsync(SlackSigning.Signed("/slack/events", body, "application/json", DateTimeOffset.UtcNow.AddMinutes(-6)), Ct);
        var forged = await host.Client.SendAsync(SlackSigning.Signed("/slack/events", body, "application/json", secret: "not-the-secret"), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, stale.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Empty(ports.Scans);
        Assert.Empty(ports.Jobs);
    }

    [Theory]
    [InlineData("C0GENERAL", "channel")]
    [InlineData("G0PRIVATE", "group")]
    [InlineData("D0DIRECT", "im")]
    public async Task A_file_share_queues_one_slack_scan(string channel, string channelType)
    {
        var file = Photo with { Channel = channel, ChannelType = channelType };
        var response = await host.Client.SendAsync(SlackSigning.Event(Fixtures.FileShare(file, "Ev0SHARE" + channelType, slack.BaseUrl)), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var scan = Assert.Single(ports.Scans);
        Assert.Equal(ScanStatus.Queued, scan.Status);
        Assert.Equal(ScanSourceKind.Slack, scan.Source.Kind);
        Assert.Equal(new SlackOrigin("T0CATS", channel, "U0ALICE", "F0PHOTO1", "1764310000.000100", null, "Ev0SHARE" + channelType, "kitty.jpg", "image/jpeg", 52_000), scan.Source.Slack);
        Assert.Equal(new WorkItem(scan.Id, WorkKind.Process), Assert.Single(ports.Jobs));
        Assert.Empty(slack.Server.LogEntries);
    }

    [Fact]
    public async Task Three_retries_and_a_file_shared_twin_make_one_scan_without_calling_slack()
    {
        var share = Fixtures.FileShare(Photo, "Ev0ONCE", slack.BaseUrl);

        var statuses = new List<HttpStatusCode>
        {
            (await host.Client.SendAsync(SlackSigning.Event(share), Ct)).StatusCode,
            (await host.Client.SendAsync(SlackSigning.Event(Fixtures.FileShared(Photo, "Ev0TWIN")), Ct)).StatusCode,
        };
        for (var retry = 1; retry <= 3; retry++)
        {
            statuses.Add((await host.Client.SendAsync(SlackSigning.Event(share, retry), Ct)).StatusCode);
        }

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Single(ports.Scans);
        Assert.Single(ports.Jobs);
        Assert.Empty(slack.Server.LogEntries);
    }

    [Fact]
    public async Task A_redelivered_message_gets_the_files_an_interrupted_first_delivery_missed()
    {
        var onlyFirst = Fixtures.FileShare(Photo, "Ev0TWOFILES", slack.BaseUrl);
        var both = System.Text.Json.Nodes.JsonNode.Parse(onlyFirst)!;
        var files = both["event"]!["files"]!.AsArray();
        var second = files[0]!.DeepClone();
        second["id"] = "F0PHOTO2";
        files.Add(second);

        // The first delivery stopped after its first file (as after a crash); Slack then redelivers the whole event, twice.
        await host.Client.SendAsync(SlackSigning.Event(onlyFirst), Ct);
        var retries = new[]
        {
            await host.Client.SendAsync(SlackSigning.Event(both.ToJsonString(), 1), Ct),
            await host.Client.SendAsync(SlackSigning.Event(both.ToJsonString(), 2), Ct),
        };

        Assert.All(retries, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(["F0PHOTO1", "F0PHOTO2"], ports.Scans.Select(s => s.Source.Slack!.FileId).Order());
        Assert.Equal(2, ports.Jobs.Count);
    }

    [Theory]
    [InlineData("event_message_bot_message.json")]
    [InlineData("event_message_file_share_by_this_bot.json")]
    public async Task Bot_messages_and_the_bots_own_uploads_are_ignored(string fixture)
    {
        var response = await host.Client.SendAsync(SlackSigning.Event(Fixtures.Simple(fixture, Fixtures.Channel, "F0BOTFILE", "Ev0BOT")), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(ports.Scans);
        Assert.Empty(ports.Jobs);
    }

    [Fact]
    public async Task A_pdf_is_queued_too_so_the_processor_answers_it_in_the_thread()
    {
        var pdf = new SlackFileSpec("F0PDF", "report.pdf", "application/pdf", 80_000);
        var response = await host.Client.SendAsync(SlackSigning.Event(Fixtures.FileShare(pdf, "Ev0PDF", slack.BaseUrl)), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", Assert.Single(ports.Scans).Source.Slack!.MimeType);
    }

    [Fact]
    public async Task Malformed_json_with_a_valid_signature_is_400()
    {
        var response = await host.Client.SendAsync(SlackSigning.Event("{not json"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
