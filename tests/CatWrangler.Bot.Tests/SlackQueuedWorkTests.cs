using System.Net;
using System.Text.Json;
using CatWrangler.Bot.Commands;
using CatWrangler.Slack.Commands;
using CatWrangler.Bot.Tests.Support;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;
using CatWrangler.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace CatWrangler.Bot.Tests;

/// <summary>
/// The ack path hands everything slow to the queue, and the processor finishes it: <c>file_shared</c> lookups, twin
/// events, deferred <c>/catscan</c> answers. The bot host and the processor share the real local store and queue; the
/// queue is drained to empty before anything is asserted.
/// </summary>
public sealed class SlackQueuedWorkTests : IAsyncDisposable
{
    private readonly FakeSlack slack = new();
    private readonly LocalPorts ports = new();
    private readonly QueueDrainer processor;
    private BotHost? host;

    public SlackQueuedWorkTests() => processor = new QueueDrainer(slack, ports);

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        if (host is not null)
        {
            await host.DisposeAsync();
        }

        processor.Dispose();
        slack.Dispose();
        ports.Dispose();
    }

    private async Task<BotHost> BotAsync() => host ??= await BotHost.StartOnLocalPortsAsync(slack, ports);

    private SlackFileSpec Photo(string fileId, string ts = "1764310000.000100")
    {
        var jpeg = TestImages.Jpeg();
        var file = new SlackFileSpec(fileId, "kitty.jpg", "image/jpeg", jpeg.Length, Ts: ts);
        slack.File(file, jpeg, "image/jpeg");
        return file;
    }

    private async Task SendEventAsync(string json)
    {
        var response = await (await BotAsync()).Client.SendAsync(SlackSigning.Event(json), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_file_shared_event_is_acknowledged_without_any_call_to_slack()
    {
        var file = Photo("F0ALONE");

        await SendEventAsync(Fixtures.FileShared(file, "Ev0ALONE"));

        Assert.Empty(slack.Server.LogEntries);
        var scan = Assert.Single(ports.Scans);
        Assert.Equal(ScanStatus.Queued, scan.Status);
        Assert.Null(scan.Source.Slack!.MessageTs);
        Assert.Equal(new WorkItem(scan.Id, WorkKind.SlackFileShared), Assert.Single(ports.Jobs));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_message_and_its_file_shared_twin_make_one_scan_and_one_reply_in_either_order(bool messageFirst)
    {
        var file = Photo("F0TWINS");
        string[] events = [Fixtures.FileShare(file, "Ev0MESSAGE", slack.BaseUrl), Fixtures.FileShared(file, "Ev0SHARED")];
        foreach (var json in messageFirst ? events : events.Reverse())
        {
            await SendEventAsync(json);
        }

        await processor.DrainAsync(Ct);

        var scan = Assert.Single(ports.Scans);
        Assert.Equal(ScanStatus.Done, scan.Status);
        var reply = Assert.Single(slack.Replies());
        Assert.Equal(file.Ts, reply.GetProperty("thread_ts").GetString());
        Assert.Contains(scan.Id, reply.GetProperty("text").GetString());
        Assert.Empty(ports.Jobs);
    }

    [Fact]
    public async Task The_processor_finds_the_message_of_a_file_shared_event_through_files_info_and_replies_in_its_thread()
    {
        var file = Photo("F0LOOKUP", ts: "1764310123.000400");

        await SendEventAsync(Fixtures.FileShared(file, "Ev0LOOKUP"));
        var ran = await processor.DrainAsync(Ct);

        Assert.Equal([WorkKind.SlackFileShared, WorkKind.Process], ran.Select(r => r.Item.Kind));
        var scan = Assert.Single(ports.Scans);
        Assert.Equal(ScanStatus.Done, scan.Status);
        Assert.Equal(("1764310123.000400", "kitty.jpg", "image/jpeg"), (scan.Source.Slack!.MessageTs, scan.Source.Slack.FileName, scan.Source.Slack.MimeType));
        Assert.Equal("1764310123.000400", Assert.Single(slack.Replies()).GetProperty("thread_ts").GetString());
        Assert.All(slack.Posted("reactions.add"), r => Assert.Equal("1764310123.000400", r.GetProperty("timestamp").GetString()));
    }

    [Fact]
    public async Task A_share_slack_does_not_show_yet_is_looked_up_again_until_it_does()
    {
        var file = Photo("F0EARLY");
        slack.Server.Given(Request.Create().WithPath("/api/files.info").UsingPost()).AtPriority(1)
            .InScenario("share").WillSetStateTo("shared")
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody("""{"ok":true,"file":{"id":"F0EARLY","name":"kitty.jpg","mimetype":"image/jpeg","shares":{}}}"""));

        await SendEventAsync(Fixtures.FileShared(file, "Ev0EARLY"));
        var ran = await processor.DrainAsync(Ct);

        Assert.IsType<WorkOutcome.RetryLater>(ran[0].Outcome);
        Assert.Equal(ScanStatus.Done, Assert.Single(ports.Scans).Status);
        Assert.Equal(file.Ts, Assert.Single(slack.Replies()).GetProperty("thread_ts").GetString());
    }

    [Fact]
    public async Task A_share_that_never_appears_fails_the_scan_with_a_reason_and_posts_nothing()
    {
        var file = new SlackFileSpec("F0GONE", "kitty.jpg", "image/jpeg", 1000);
        slack.Ok("files.info", """{"ok":false,"error":"file_not_found"}""");

        await SendEventAsync(Fixtures.FileShared(file, "Ev0GONE"));
        await processor.DrainAsync(Ct);

        var scan = Assert.Single(ports.Scans);
        Assert.Equal(ScanStatus.Failed, scan.Status);
        Assert.Equal("slack_message_not_found", scan.Error!.Code);
        Assert.Empty(slack.Calls("/api/chat.postMessage"));
        Assert.Empty(ports.Jobs);
    }

    [Fact]
    public async Task A_slow_command_is_answered_through_response_url_by_the_processor_after_the_bot_host_stopped()
    {
        var scan = new Scan
        {
            Id = Scan.NewId(),
            Status = ScanStatus.Done,
            Source = ScanSource.FromSlack(new SlackOrigin(Fixtures.TeamId, Fixtures.Channel, Fixtures.Alice, "F0SLOW", "1.1", null, "Ev", "slow.jpg", "image/jpeg", 1000)),
            Verdict = new Verdict(true, 0.9, [], [], "test", "1", 0.5),
            ReceivedAt = DateTimeOffset.UtcNow,
            ExpiresAt = DateTimeOffset.UtcNow.AddDays(1),
        };
        await ports.Store.SaveAsync(scan, Ct);
        var config = BotHost.SlackConfiguration(slack);
        config["CatWrangler:Slack:CommandInlineBudget"] = "00:00:00.100";
        host = await BotHost.StartAsync(config, (services, configuration) =>
        {
            services.AddSingleton<ISecretStore>(new DictionarySecretStore(config));
            services.AddSingleton<IScanStore>(new UnansweredListStore(ports.Store));
            services.AddSingleton<IWorkQueue>(ports.Queue);
            services.AddSingleton(new Core.CatWranglerOptions());
            services.AddSingleton(new Core.Images.ImageLimits());
            services.AddSlackBot(configuration);
        });

        var response = await host.Client.SendAsync(SlackSigning.Command("status", Fixtures.Alice, Fixtures.Channel, slack.ResponseUrl), Ct);
        var ack = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        await host.DisposeAsync();
        host = null;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(SlashCommandIntake.WorkingOnIt, ack.GetProperty("text").GetString());
        var job = Assert.Single(ports.Jobs);
        Assert.Equal(WorkKind.SlackCommand, job.Kind);
        Assert.Empty(slack.Calls(new Uri(slack.ResponseUrl).AbsolutePath));

        await processor.DrainAsync(Ct);

        var call = Assert.Single(slack.Calls(new Uri(slack.ResponseUrl).AbsolutePath));
        var answer = JsonDocument.Parse(call.RequestMessage!.Body!).RootElement;
        Assert.Contains("slow.jpg", answer.GetProperty("text").GetString());
        SlackMessageShape.AssertResponseUrlMessage(answer);
        Assert.True(answer.GetProperty("replace_original").GetBoolean());
        Assert.False(call.RequestMessage.Headers!.ContainsKey("Authorization"));
        Assert.Empty(ports.Jobs);
    }

    [Fact]
    public async Task A_deferred_answer_whose_response_url_fails_is_retried_and_one_slack_refuses_is_dropped()
    {
        var path = new Uri(slack.ResponseUrl).AbsolutePath;
        slack.Server.Given(Request.Create().WithPath(path).UsingPost()).AtPriority(1)
            .InScenario("response_url").WillSetStateTo("expired")
            .RespondWith(Response.Create().WithStatusCode(503));
        slack.Server.Given(Request.Create().WithPath(path).UsingPost()).AtPriority(1)
            .InScenario("response_url").WhenStateIs("expired")
            .RespondWith(Response.Create().WithStatusCode(404).WithBody("expired_url"));
        var command = new SlashCommand(Fixtures.TeamId, Fixtures.Channel, Fixtures.Alice, "help", new Uri(slack.ResponseUrl));
        await ports.Queue.EnqueueAsync(new WorkItem(Scan.NewId(), WorkKind.SlackCommand, Payload: command.ToPayload()), TimeSpan.Zero, Ct);

        var ran = await processor.DrainAsync(Ct);

        Assert.Collection(ran, r => Assert.IsType<WorkOutcome.RetryLater>(r.Outcome), r => Assert.IsType<WorkOutcome.Completed>(r.Outcome));
        Assert.Equal(2, slack.Calls(path).Count);
    }
}
