using CatWrangler.Cli.Api;
using CatWrangler.Cli.Commands;
using CatWrangler.Cli.Serving;
using CatWrangler.Pipeline.Tests.Api;
using CatWrangler.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace CatWrangler.Cli.Tests;

/// <summary>
/// The README's first run: <c>catscan serve</c> with no API client configured makes a development client, prints the two
/// export lines, and <c>catscan submit</c> / <c>status</c> find it without any variable set.
/// </summary>
public sealed class FirstRunTests : IAsyncDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "catscan-first-run-" + Guid.NewGuid().ToString("N"));
    private readonly StringWriter _banner = new();
    private readonly HttpClient _http = new();
    private WebApplication? _app;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    /// <summary>The real `catscan serve` composition with only what a fresh clone has: no clients, no Slack.</summary>
    private async Task<string> ServeAsync(params string[] extra)
    {
        string[] args =
        [
            $"--CatWrangler:Detector:ModelDirectory={ModelFixture.ModelDirectory}",
            "--CatWrangler:Detector:IntraOpThreads=1",
            .. extra,
        ];
        _app = ServeCommand.Build("http://127.0.0.1:0", _data, args, console: _banner);
        await _app.StartAsync(Ct);
        return _app.Urls.First();
    }

    [Fact]
    public async Task Serve_makes_a_private_development_client_and_submit_and_status_use_it_without_variables()
    {
        var url = await ServeAsync();

        var file = Path.Combine(_data, DevelopmentClient.FileName);
        Assert.True(File.Exists(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        var stored = DevelopmentClient.TryLoad(_data)!;
        var banner = _banner.ToString();
        Assert.Contains($"export CATSCAN_CLIENT={stored.Client}", banner);
        Assert.Contains($"export CATSCAN_SECRET={stored.Secret}", banner);
        Assert.Contains($"export CATSCAN_URL={url}", banner);
        Assert.Contains("submit --wait", banner);
        Assert.Contains("Slack: off (CatWrangler__Slack__BotToken is not set", banner);

        var (connection, error) = ConnectionOptions.Resolve(url, client: null, secret: null, _data);
        Assert.Null(error);
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var submit = new SubmitRunner(new ScanApiClient(_http, connection!, TimeProvider.System), output, errors);
        var photo = Path.Combine(_data, "photo.jpg");
        await File.WriteAllBytesAsync(photo, TestImages.Jpeg(), Ct);

        var exit = await submit.RunAsync(new SubmitRequest([photo], null, Wait: true, TimeSpan.FromSeconds(60)), showProgress: false, Ct);

        Assert.True(exit == ExitCodes.Ok, errors.ToString());
        Assert.Matches(@"photo\.jpg: (Yes \(cat \d\.\d\d\)|No \(top: .+ \d\.\d\d\)) scan [0-9a-f-]{36}", output.ToString());
    }

    [Fact]
    public async Task A_second_start_reuses_the_same_secret()
    {
        await ServeAsync();
        var first = DevelopmentClient.TryLoad(_data);
        await _app!.StopAsync();
        await _app.DisposeAsync();

        await ServeAsync();

        Assert.Equal(first, DevelopmentClient.TryLoad(_data));
    }

    [Fact]
    public async Task Production_makes_no_development_client()
    {
        await ServeAsync("--environment=Production");

        Assert.False(File.Exists(Path.Combine(_data, DevelopmentClient.FileName)));
        Assert.Contains("production: no development client", _banner.ToString());
        Assert.DoesNotContain("CATSCAN_SECRET", _banner.ToString());
    }

    [Fact]
    public async Task Configured_clients_mean_no_development_client()
    {
        await ServeAsync("--CatWrangler:Clients:acme:Secrets:0=" + ApiTestHost.AcmeSecret);

        Assert.False(File.Exists(Path.Combine(_data, DevelopmentClient.FileName)));
        Assert.Contains("API clients: acme", _banner.ToString());
    }

    [Fact]
    public void Without_credentials_or_a_development_client_the_error_says_how_to_get_one()
    {
        var (connection, error) = ConnectionOptions.Resolve(null, null, null, _data);

        Assert.Null(connection);
        Assert.Contains("catscan serve", error);
    }

    [Fact]
    public async Task Slack_mode_follows_the_tokens_that_are_set()
    {
        await ServeAsync("--CatWrangler:Slack:BotToken=xoxb-1", "--CatWrangler:Slack:SigningSecret=s");

        Assert.Contains("Slack: HTTP (Slack must reach http://127.0.0.1:", _banner.ToString());
        Assert.Equal(
            "Socket Mode (CatWrangler__Slack__AppToken is set: no public URL needed)",
            ServeEnvironment.SlackMode(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["CatWrangler:Slack:BotToken"] = "xoxb-1",
                ["CatWrangler:Slack:AppToken"] = "xapp-1",
            }).Build(), "http://x"));
    }
}
