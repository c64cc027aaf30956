using System.Net;
using System.Net.Sockets;
using CatWrangler.Adapters.Local;
using CatWrangler.Cli.Api;
using CatWrangler.Cli.Commands;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;
using CatWrangler.Pipeline.Tests.Api;
using CatWrangler.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CatWrangler.Cli.Tests;

/// <summary><c>catscan submit</c> and <c>catscan status</c> against a real scan API host.</summary>
public sealed class ClientCommandTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "catscan-cli-" + Guid.NewGuid().ToString("N"));
    private readonly StringWriter _out = new();
    private readonly StringWriter _err = new();
    private readonly HttpClient _http = new();
    private ApiTestHost _host = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _host = await ApiTestHost.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Submit_prints_one_scan_id_per_file()
    {
        var files = new[] { Write("a.jpg", TestImages.Jpeg()), Write("b.png", TestImages.Png()) };

        var exit = await Submit(ApiTestHost.AcmeSecret).RunAsync(new SubmitRequest(files, null, Wait: false, TimeSpan.FromSeconds(5)), showProgress: false, Ct);

        Assert.Equal(ExitCodes.Ok, exit);
        var lines = _out.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        foreach (var scan in _host.Scans.Scans.Values)
        {
            Assert.Contains(lines, line => line.EndsWith($"queued scan {scan.Id}", StringComparison.Ordinal));
        }

        Assert.Equal(["a.jpg", "b.png"], _host.Scans.Scans.Values.Select(s => s.Source.Api!.Reference).Order());
    }

    [Fact]
    public async Task Submit_with_wait_prints_the_verdict_once_the_scan_is_done()
    {
        SubmitRunner.PollInterval = TimeSpan.FromMilliseconds(50);
        var file = Write("cat.jpg", TestImages.Jpeg());
        using var stop = new CancellationTokenSource();
        var processor = FinishScansAsync(isCat: true, stop.Token);

        var exit = await Submit(ApiTestHost.AcmeSecret).RunAsync(new SubmitRequest([file], null, Wait: true, TimeSpan.FromSeconds(20)), showProgress: false, Ct);
        await stop.CancelAsync();
        await processor;

        Assert.Equal(ExitCodes.Ok, exit);
        var id = Assert.Single(_host.Scans.Scans.Keys);
        Assert.Equal($"{file}: Yes (cat 0.93) scan {id}", _out.ToString().Trim());
    }

    [Fact]
    public async Task Submit_with_a_wrong_secret_says_the_signature_was_rejected()
    {
        var file = Write("a.jpg", TestImages.Jpeg());

        var exit = await Submit(ApiTestHost.DebuggerSecret).RunAsync(new SubmitRequest([file], null, Wait: true, TimeSpan.FromSeconds(5)), showProgress: false, Ct);

        Assert.Equal(ExitCodes.Unauthorized, exit);
        Assert.StartsWith($"{file}: signature rejected: check --client/--secret", _err.ToString());
        Assert.Empty(_host.Scans.Scans);
    }

    [Fact]
    public async Task Submit_of_a_gif_and_a_missing_file_reports_each_and_exits_1()
    {
        var gif = Write("anim.gif", TestImages.Gif());
        var good = Write("ok.jpg", TestImages.Jpeg());
        var missing = Path.Combine(_folder, "nope.jpg");

        var exit = await Submit(ApiTestHost.AcmeSecret).RunAsync(new SubmitRequest([gif, good, missing], null, Wait: false, TimeSpan.FromSeconds(5)), showProgress: false, Ct);

        Assert.Equal(ExitCodes.Rejected, exit);
        Assert.Contains($"{gif}: Only JPEG and PNG", _err.ToString());
        Assert.Contains($"{missing}: cannot read file", _err.ToString());
        Assert.Contains($"{good}: queued scan", _out.ToString());
        Assert.Single(_host.Scans.Scans);
    }

    [Fact]
    public async Task Submit_to_a_closed_port_says_the_service_is_unreachable()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var runner = new SubmitRunner(
            new ScanApiClient(_http, new ApiConnection(new Uri($"http://127.0.0.1:{port}/"), ApiTestHost.Acme, ApiTestHost.AcmeSecret), TimeProvider.System), _out, _err);

        var exit = await runner.RunAsync(new SubmitRequest([Write("a.jpg", TestImages.Jpeg())], null, Wait: false, TimeSpan.FromSeconds(5)), showProgress: false, Ct);

        Assert.Equal(ExitCodes.Unavailable, exit);
        Assert.Contains($"cannot reach http://127.0.0.1:{port}/", _err.ToString());
    }

    [Fact]
    public async Task Status_prints_the_scan_and_unknown_ids_exit_6()
    {
        await Submit(ApiTestHost.AcmeSecret).RunAsync(new SubmitRequest([Write("a.jpg", TestImages.Jpeg(80, 60))], null, false, TimeSpan.FromSeconds(5)), false, Ct);
        var id = Assert.Single(_host.Scans.Scans.Keys);
        var status = new StatusRunner(Client(ApiTestHost.AcmeSecret), _out, _err);

        Assert.Equal(ExitCodes.Ok, await status.RunAsync(id, json: false, debug: false, Ct));
        Assert.Contains($"{id}: queued", _out.ToString());
        Assert.Contains("image/jpeg 80x60", _out.ToString());

        Assert.Equal(ExitCodes.NotFound, await status.RunAsync(Scan.NewId(), json: false, debug: false, Ct));
        Assert.Contains("catscan status: No scan", _err.ToString());
    }

    [Fact]
    public async Task Submit_sends_a_file_over_the_inline_limit_through_the_two_step_upload()
    {
        var jpeg = TestImages.Jpeg(400, 300);
        var file = Write("big.jpg", jpeg);

        var exit = await Submit(ApiTestHost.AcmeSecret).RunAsync(new SubmitRequest([file], null, Wait: false, TimeSpan.FromSeconds(5), InlineMaxBytes: 1000), showProgress: false, Ct);

        Assert.Equal(ExitCodes.Ok, exit);
        var scan = Assert.Single(_host.Scans.Scans.Values);
        Assert.Equal("big.jpg", scan.Source.Api!.Reference);
        Assert.Equal(jpeg, await _host.Images.GetAsync(scan.Image!.StorageKey, Ct));
        Assert.Single(Directory.GetFiles(Path.Combine(_host.DataPath, "uploads"), "upl_*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Submit_switches_to_the_two_step_upload_when_the_service_answers_413()
    {
        await using var small = await ApiTestHost.StartAsync(new Dictionary<string, string?> { ["CatWrangler:Api:InlineMaxBytes"] = "1000" });
        var file = Write("big.jpg", TestImages.Jpeg(400, 300));
        var runner = new SubmitRunner(new ScanApiClient(_http, new ApiConnection(small.BaseAddress, ApiTestHost.Acme, ApiTestHost.AcmeSecret), TimeProvider.System), _out, _err);

        var exit = await runner.RunAsync(new SubmitRequest([file], null, Wait: false, TimeSpan.FromSeconds(5)), showProgress: false, Ct);

        Assert.True(exit == ExitCodes.Ok, _err.ToString());
        Assert.Single(small.Scans.Scans);
    }

    private SubmitRunner Submit(string secret) => new(Client(secret), _out, _err);

    private ScanApiClient Client(string secret)
        => new(_http, new ApiConnection(_host.BaseAddress, ApiTestHost.Acme, secret), TimeProvider.System);

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>
    /// Stands in for the processor: takes each job the API enqueues (woken by the enqueue, as the local worker is) and
    /// marks its scan done with a fixed verdict.
    /// </summary>
    private async Task FinishScansAsync(bool isCat, CancellationToken stop)
    {
        var queue = _host.Services.GetRequiredService<SqliteWorkQueue>();
        var store = _host.Services.GetRequiredService<IScanStore>();
        try
        {
            while (true)
            {
                if (await queue.LeaseAsync(TimeSpan.FromMinutes(1), stop) is not { } job)
                {
                    await queue.WaitForWorkAsync(Timeout.InfiniteTimeSpan, stop);
                    continue;
                }

                var scan = (await store.GetAsync(job.Item.ScanId, stop))!;
                await store.SaveAsync(scan with
                {
                    Status = ScanStatus.Done,
                    CompletedAt = DateTimeOffset.UtcNow,
                    Verdict = new Verdict(isCat, 0.93, [], [], "test", "1", 0.5),
                }, stop);
                await queue.CompleteAsync(job, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }
}
