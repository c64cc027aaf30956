using CatWrangler.Slack.Api;
using CatWrangler.Bot.Tests.Support;
using CatWrangler.Core.Images;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;
using CatWrangler.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace CatWrangler.Bot.Tests;

/// <summary>The processor-side pieces against the fake Slack: fetcher, notifier, Web API client.</summary>
public sealed class SlackProcessingTests : IAsyncLifetime
{
    private readonly FakeSlack slack = new();
    private readonly LocalPorts ports = new();
    private BotHost host = null!;

    public async ValueTask InitializeAsync() => host = await BotHost.StartOnLocalPortsAsync(slack, ports);

    public async ValueTask DisposeAsync()
    {
        await host.DisposeAsync();
        slack.Dispose();
        ports.Dispose();
    }

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private IImageFetcher Fetcher => host.Services.GetServices<IImageFetcher>().Single();

    private IScanNotifier Notifier => host.Services.GetServices<IScanNotifier>().Single();

    private SlackWebApiClient Client => host.Services.GetRequiredService<SlackWebApiClient>();

    private static Scan SlackScan(SlackFileSpec file, ScanStatus status = ScanStatus.Queued, Verdict? verdict = null, ScanError? error = null) => new()
    {
        Id = Scan.NewId(),
        Status = status,
        Source = ScanSource.FromSlack(new SlackOrigin("T0CATS", file.Channel, "U0ALICE", file.FileId, file.Ts, null, "Ev0X", file.Name, file.MimeType, file.Size)),
        ReceivedAt = DateTimeOffset.UtcNow,
        ExpiresAt = DateTimeOffset.UtcNow.AddDays(1),
        Verdict = verdict,
        Error = error,
    };

    private static Verdict Cat(bool isCat, double confidence) => new(isCat, confidence, [], [new("cat", confidence)], "onnx-test", "1", 0.5);

    [Fact]
    public async Task Fetch_downloads_with_the_bot_token()
    {
        var jpeg = TestImages.Jpeg();
        var file = new SlackFileSpec("F0OK", "kitty.jpg", "image/jpeg", jpeg.Length);
        slack.File(file, jpeg, "image/jpeg");

        var fetched = await Fetcher.FetchAsync(SlackScan(file), Ct);

        Assert.Equal(jpeg, fetched.Bytes);
        var download = Assert.Single(slack.Calls(file.DownloadPath));
        Assert.Equal("Bearer " + FakeSlack.BotToken, download.RequestMessage!.Headers!["Authorization"].Single());
    }

    [Fact]
    public async Task Fetch_of_a_sign_in_page_is_a_readable_rejection()
    {
        var file = new SlackFileSpec("F0LOGIN", "kitty.jpg", "image/jpeg", 50_000);
        slack.File(file, File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "slack_login_page.html")), "text/html; charset=utf-8");

        var e = await Assert.ThrowsAsync<ImageRejectedException>(() => Fetcher.FetchAsync(SlackScan(file), Ct));
        Assert.Contains("sign-in", e.Message);
        Assert.Contains("kitty.jpg", e.Message);
    }

    [Fact]
    public async Task Fetch_of_bytes_that_are_not_jpeg_or_png_is_a_rejection()
    {
        var file = new SlackFileSpec("F0GIF", "kitty.jpg", "image/jpeg", 50_000);
        slack.File(file, "GIF89a\u0001\u0000\u0001\u0000"u8.ToArray(), "image/jpeg");

        var e = await Assert.ThrowsAsync<ImageRejectedException>(() => Fetcher.FetchAsync(SlackScan(file), Ct));
        Assert.Equal(ImageRejection.UnsupportedFormat, e.Reason);
        Assert.Contains("not a JPEG or PNG", e.Message);
    }

    [Fact]
    public async Task Fetch_refuses_a_pdf_by_mimetype_without_downloading()
    {
        var pdf = new SlackFileSpec("F0PDF", "report.pdf", "application/pdf", 80_000);
        var e = await Assert.ThrowsAsync<ImageRejectedException>(() => Fetcher.FetchAsync(SlackScan(pdf), Ct));
        Assert.Contains("only JPEG and PNG", e.Message);
        Assert.Empty(slack.Server.LogEntries);
    }

    [Fact]
    public async Task Fetch_refuses_a_file_over_the_size_limit_without_downloading()
    {
        var huge = new SlackFileSpec("F0HUGE", "huge.png", "image/png", 200L * 1024 * 1024);
        var e = await Assert.ThrowsAsync<ImageRejectedException>(() => Fetcher.FetchAsync(SlackScan(huge), Ct));
        Assert.Equal(ImageRejection.TooLarge, e.Reason);
        Assert.Empty(slack.Server.LogEntries);
    }

    [Fact]
    public async Task Fetch_sends_no_token_across_a_redirect_to_another_host()
    {
        using var elsewhere = WireMockServer.Start();
        var png = TestImages.Png();
        elsewhere.Given(Request.Create().WithPath("/cdn/kitty.png").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "image/png").WithBody(png));
        var file = new SlackFileSpec("F0REDIR", "kitty.png", "image/png", png.Length);
        slack.File(file, [], "image/png");
        // Same listener, but "localhost" is not the configured host, so it counts as another host.
        var other = elsewhere.Urls[0].Replace("127.0.0.1", "localhost", StringComparison.Ordinal);
        slack.Server.Given(Request.Create().WithPath(file.DownloadPath).UsingGet()).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(302).WithHeader("Location", other + "/cdn/kitty.png"));

        var fetched = await Fetcher.FetchAsync(SlackScan(file), Ct);

        Assert.Equal(png, fetched.Bytes);
        Assert.True(Assert.Single(slack.Calls(file.DownloadPath)).RequestMessage!.Headers!.ContainsKey("Authorization"));
        Assert.False(Assert.Single(elsewhere.LogEntries).RequestMessage!.Headers!.ContainsKey("Authorization"));
    }

    [Fact]
    public async Task Fetch_refuses_a_download_url_outside_the_file_hosts()
    {
        var file = new SlackFileSpec("F0EVIL", "kitty.jpg", "image/jpeg", 1000);
        var info = Fixtures.FilesInfo(file, "https://evil.example");
        slack.Server.Given(Request.Create().WithPath("/api/files.info").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(info));

        var e = await Assert.ThrowsAsync<ImageRejectedException>(() => Fetcher.FetchAsync(SlackScan(file), Ct));
        Assert.Contains("evil.example", e.Message);
    }

    [Fact]
    public async Task Completed_posts_one_threaded_reply_and_swaps_reactions_even_when_run_twice()
    {
        var file = new SlackFileSpec("F0DONE", "kitty.jpg", "image/jpeg", 1000);
        var scan = SlackScan(file, ScanStatus.Done, Cat(true, 0.93));

        await Notifier.OnAcceptedAsync(scan, Ct);
        await Notifier.OnCompletedAsync(scan, Ct);
        await Notifier.OnCompletedAsync(scan, Ct);

        var reply = Assert.Single(slack.Replies());
        Assert.Equal(file.Ts, reply.GetProperty("thread_ts").GetString());
        Assert.Equal(file.Channel, reply.GetProperty("channel").GetString());
        Assert.StartsWith("*Yes (cat 0.93)*", reply.GetProperty("text").GetString());
        Assert.Contains(scan.Id, reply.GetProperty("text").GetString());
        Assert.Contains(slack.Posted("reactions.add"), r => r.GetProperty("name").GetString() == "hourglass_flowing_sand");
        Assert.Contains(slack.Posted("reactions.add"), r => r.GetProperty("name").GetString() == "cat");
        Assert.Contains(slack.Posted("reactions.remove"), r => r.GetProperty("name").GetString() == "hourglass_flowing_sand");
    }

    [Fact]
    public async Task A_failed_scan_gets_its_readable_reason_in_the_thread()
    {
        var file = new SlackFileSpec("F0FAIL", "report.pdf", "application/pdf", 1000);
        var scan = SlackScan(file, ScanStatus.Failed, error: new ScanError("unsupported_format", "only JPEG and PNG images are supported, and report.pdf is application/pdf."));

        await Notifier.OnCompletedAsync(scan, Ct);

        var text = Assert.Single(slack.Replies()).GetProperty("text").GetString();
        Assert.Contains("only JPEG and PNG", text);
        Assert.Contains(slack.Posted("reactions.add"), r => r.GetProperty("name").GetString() == "warning");
    }

    [Fact]
    public async Task Already_reacted_and_no_reaction_count_as_success()
    {
        slack.Server.Given(Request.Create().WithPath("/api/reactions.add").UsingPost()).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody("""{"ok":false,"error":"already_reacted"}"""));
        slack.Server.Given(Request.Create().WithPath("/api/reactions.remove").UsingPost()).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody("""{"ok":false,"error":"no_reaction"}"""));

        var added = await Record.ExceptionAsync(() => Client.AddReactionAsync("C0GENERAL", "1.2", "cat", Ct));
        var removed = await Record.ExceptionAsync(() => Client.RemoveReactionAsync("C0GENERAL", "1.2", "hourglass_flowing_sand", Ct));

        Assert.Null(added);
        Assert.Null(removed);
        // Each was asked once: the desired state already holds, so nothing is retried.
        Assert.Equal("cat", Assert.Single(slack.Posted("reactions.add")).GetProperty("name").GetString());
        Assert.Equal("hourglass_flowing_sand", Assert.Single(slack.Posted("reactions.remove")).GetProperty("name").GetString());
    }

    [Fact]
    public async Task Another_reaction_error_is_not_swallowed()
    {
        slack.Server.Given(Request.Create().WithPath("/api/reactions.add").UsingPost()).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody("""{"ok":false,"error":"channel_not_found"}"""));

        var e = await Assert.ThrowsAsync<SlackApiException>(() => Client.AddReactionAsync("C0GONE", "1.2", "cat", Ct));
        Assert.Equal("channel_not_found", e.Error);
    }

    [Fact]
    public async Task Ok_false_is_an_error_with_slacks_code()
    {
        slack.Server.Given(Request.Create().WithPath("/api/chat.postMessage").UsingPost()).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody("""{"ok":false,"error":"invalid_auth"}"""));

        var e = await Assert.ThrowsAsync<SlackApiException>(() => Client.PostMessageAsync("C0GENERAL", "hi", null, Ct));
        Assert.Equal("invalid_auth", e.Error);
    }

    [Fact]
    public async Task A_429_with_retry_after_is_retried_and_delivered()
    {
        slack.Server.Given(Request.Create().WithPath("/api/chat.postMessage").UsingPost()).AtPriority(1)
            .InScenario("rate").WillSetStateTo("cooled")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "1"));

        var ts = await Client.PostMessageAsync("C0GENERAL", "hi", "1764310000.000100", Ct);

        Assert.Equal("1764310099.000900", ts);
        var attempts = slack.Calls("/api/chat.postMessage");
        Assert.Equal(2, attempts.Count);
        // The retry waited for Retry-After, not the policy's own backoff.
        Assert.True(attempts[1].RequestMessage!.DateTime - attempts[0].RequestMessage!.DateTime >= TimeSpan.FromMilliseconds(900));
    }
}
