using CatWrangler.Bot.Tests.Support;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;
using CatWrangler.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace CatWrangler.Bot.Tests;

/// <summary>The thread reply with the annotated picture (files.getUploadURLExternal → upload → files.completeUploadExternal) and its fallbacks.</summary>
public sealed class SlackAnnotatedReplyTests : IAsyncDisposable
{
    private readonly FakeSlack slack = new();
    private readonly LocalPorts ports = new();
    private BotHost? host;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        if (host is not null)
        {
            await host.DisposeAsync();
        }

        slack.Dispose();
        ports.Dispose();
    }

    private async Task<IScanNotifier> NotifierAsync(bool? annotatedReplies = null)
    {
        host = await BotHost.StartOnLocalPortsAsync(slack, ports, config =>
        {
            if (annotatedReplies is { } on)
            {
                config["CatWrangler:Slack:AnnotatedReplies"] = on ? "true" : "false";
            }
        });
        return host.Services.GetServices<IScanNotifier>().Single();
    }

    private static Scan Done(Verdict verdict) => new()
    {
        Id = Scan.NewId(),
        Status = ScanStatus.Done,
        Source = ScanSource.FromSlack(new SlackOrigin("T0CATS", "C0GENERAL", "U0ALICE", "F0KITTY", "1764310000.000100", null, "Ev0X", "kitty.jpg", "image/jpeg", 1000)),
        ReceivedAt = DateTimeOffset.UtcNow,
        ExpiresAt = DateTimeOffset.UtcNow.AddDays(1),
        Verdict = verdict,
    };

    private static Verdict Cat() => new(true, 0.93, [new BoundingBox(4, 4, 20, 20, 0.93)], [new("cat", 0.93)], "onnx-test", "1", 0.5);

    private async Task<Scan> CatWithPictureAsync(byte[] png)
    {
        var scan = Done(Cat());
        await ports.Images.PutAnnotatedAsync(scan.Id, png, Ct);
        return scan;
    }

    [Fact]
    public async Task A_cat_reply_shares_the_stored_picture_into_the_thread_as_slack_documents_it()
    {
        var notifier = await NotifierAsync();
        var png = TestImages.Png(64, 48);
        var scan = await CatWithPictureAsync(png);

        await notifier.OnCompletedAsync(scan, Ct);

        Assert.Empty(SlackUploadContract.Violations(slack));
        Assert.Equal(png, Assert.Single(slack.Calls(FakeSlack.UploadPath)).RequestMessage!.BodyAsBytes);
        Assert.Empty(slack.Calls("/api/chat.postMessage"));
        var reply = Assert.Single(slack.Replies());
        Assert.Equal("1764310000.000100", reply.GetProperty("thread_ts").GetString());
        Assert.Equal("C0GENERAL", reply.GetProperty("channel").GetString());
        Assert.StartsWith("*Yes (cat 0.93)*", reply.GetProperty("text").GetString());
        Assert.Contains(scan.Id, reply.GetProperty("text").GetString());
        var get = FakeSlack.Form(Assert.Single(slack.Calls("/api/files.getUploadURLExternal")));
        Assert.Equal(png.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), get["length"]);
        Assert.Contains("cat 0.93", get["alt_txt"]);
    }

    [Theory]
    [InlineData("/api/files.getUploadURLExternal", 200, """{"ok":false,"error":"file_uploads_disabled"}""")]
    [InlineData(FakeSlack.UploadPath, 500, "upstream error")]
    [InlineData("/api/files.completeUploadExternal", 200, """{"ok":false,"error":"missing_scope"}""")]
    public async Task When_the_upload_fails_the_text_reply_still_goes_out(string failingPath, int status, string body)
    {
        slack.Server.Given(Request.Create().WithPath(failingPath).UsingPost()).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", body.StartsWith('{') ? "application/json" : "text/plain").WithBody(body));
        var notifier = await NotifierAsync();
        var scan = await CatWithPictureAsync(TestImages.Png());

        await notifier.OnCompletedAsync(scan, Ct);

        var posted = Assert.Single(slack.Posted("chat.postMessage"));
        Assert.StartsWith("*Yes (cat 0.93)*", posted.GetProperty("text").GetString());
        Assert.Equal("1764310000.000100", posted.GetProperty("thread_ts").GetString());
    }

    [Fact]
    public async Task Annotated_replies_off_means_text_only()
    {
        var notifier = await NotifierAsync(annotatedReplies: false);
        var scan = await CatWithPictureAsync(TestImages.Png());

        await notifier.OnCompletedAsync(scan, Ct);

        Assert.Empty(slack.Calls("/api/files.getUploadURLExternal"));
        Assert.Single(slack.Posted("chat.postMessage"));
    }

    [Fact]
    public async Task A_cat_without_a_stored_picture_gets_a_text_reply()
    {
        var notifier = await NotifierAsync();

        await notifier.OnCompletedAsync(Done(Cat()), Ct);

        Assert.Empty(slack.Calls("/api/files.getUploadURLExternal"));
        Assert.StartsWith("*Yes (cat 0.93)*", Assert.Single(slack.Posted("chat.postMessage")).GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_no_cat_reply_says_what_was_seen()
    {
        var notifier = await NotifierAsync();
        var verdict = new Verdict(false, 0.04, [], [new("dog", 0.81), new("couch", 0.33), new("cat", 0.21)], "onnx-test", "1", 0.175);

        await notifier.OnCompletedAsync(Done(verdict), Ct);

        var text = Assert.Single(slack.Posted("chat.postMessage")).GetProperty("text").GetString();
        Assert.StartsWith("*No cat*: dog 0.81, couch 0.33 in *kitty.jpg*", text);
        Assert.Empty(slack.Calls("/api/files.getUploadURLExternal"));
    }
}
