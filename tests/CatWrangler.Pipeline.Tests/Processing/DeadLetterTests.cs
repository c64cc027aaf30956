using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using CatWrangler.Adapters.Local;
using CatWrangler.Core.Detection;
using CatWrangler.Core.Pipeline;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;
using CatWrangler.Platform;
using CatWrangler.ServiceDefaults;
using CatWrangler.Pipeline.Tests.Api;
using CatWrangler.Processor;
using CatWrangler.TestSupport;
using CatWrangler.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CatWrangler.Pipeline.Tests.Processing;

/// <summary>A detector whose dependency is down: every call fails (a transient fault, so the processor retries).</summary>
internal sealed class UnavailableDetector : ICatDetector
{
    public const string Message = "detector backend unavailable";
    private int _calls;

    public int Calls => _calls;

    public DetectorDescriptor Descriptor { get; } = new("unavailable", "0", 0.5);

    public Task<DetectionResult> DetectAsync(ImageContent image, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        throw new HttpRequestException(Message);
    }
}

/// <summary>A detector whose service refuses the deployment's setup (say, no permission): retrying cannot help.</summary>
internal sealed class MisconfiguredDetector : ICatDetector
{
    public const string Message = "Rekognition refused the call (AccessDeniedException): allow rekognition:DetectLabels.";
    private int _calls;

    public int Calls => _calls;

    public DetectorDescriptor Descriptor { get; } = new("misconfigured", "0", 0.5);

    public Task<DetectionResult> DetectAsync(ImageContent image, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        throw new DetectorConfigurationException(Message);
    }
}

/// <summary>
/// Giving up on a scan, on the local platform: the real composition (platform, scan API, <c>AddProcessor</c> with its
/// SQLite queue worker) with only the detector replaced by one that always fails.
/// </summary>
public sealed class DeadLetterTests : IAsyncDisposable
{
    private const int MaxAttempts = 3;
    private readonly string _dataPath = Directory.CreateTempSubdirectory("catwrangler-deadletter-").FullName;
    private readonly UnavailableDetector _detector = new();
    private WebApplication? _app;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dataPath, recursive: true);
    }

    private WebApplication Build(ICatDetector? detector = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CatWrangler:DataPath"] = _dataPath,
            [$"CatWrangler:Clients:{ApiTestHost.Acme}:Secrets:0"] = ApiTestHost.AcmeSecret,
            ["CatWrangler:Processor:MaxAttempts"] = MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["CatWrangler:Processor:RetryDelay"] = "00:00:00.050",
        });
        builder.AddCatWranglerDefaults();
        builder.Services.AddCatWranglerPlatform(builder.Configuration);
        builder.Services.AddScanApi(builder.Configuration);
        builder.Services.AddSingleton(detector ?? _detector);
        builder.Services.AddProcessor(builder.Configuration);
        _app = builder.Build();
        _app.MapScanApi();
        return _app;
    }

    [Fact]
    public async Task A_job_that_keeps_failing_ends_dead_with_its_error_and_its_scan_failed()
    {
        var app = Build();
        await app.StartAsync(Ct);
        using var http = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };
        using var request = ApiTestHost.Signed(HttpMethod.Post, "/v1/scans", ApiTestHost.Raw(TestImages.Jpeg(), "image/jpeg"), secret: ApiTestHost.AcmeSecret);
        using var response = await http.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var accepted = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var scanId = accepted.RootElement.GetProperty("id").GetString()!;

        // The job row is the last thing written: once it is no longer pending, the worker has decided.
        var jobs = await Eventually.ValueAsync(() => JobsAsync(app, scanId), rows => rows.All(r => r.Dead), TimeSpan.FromSeconds(20), "the worker did not settle the job");

        var job = Assert.Single(jobs);
        Assert.Equal(nameof(WorkKind.Process), job.Kind);
        Assert.Contains(UnavailableDetector.Message, job.Error);
        Assert.Contains($"after {MaxAttempts} attempts", job.Error);

        var scan = await app.Services.GetRequiredService<IScanStore>().GetAsync(scanId, Ct);
        Assert.Equal(ScanStatus.Failed, scan!.Status);
        Assert.Equal("processing_failed", scan.Error!.Code);
        Assert.Contains(UnavailableDetector.Message, scan.Error.Message);
        Assert.Equal(MaxAttempts, scan.Attempts);
        Assert.Equal(new[] { "retry", "retry", "failed" }, scan.Debug.AttemptLog.Select(a => a.Outcome));
        Assert.Equal(MaxAttempts, _detector.Calls);
    }

    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(1, 1, 2)] // the transport may restart its count (a re-enqueued job): the scan's own count goes on
    [InlineData(0, 2, 2)] // a receive that died before saving the scan still counts
    [InlineData(2, 1, 3)]
    [InlineData(0, 3, 3)]
    public async Task The_attempt_is_the_larger_of_the_scans_next_attempt_and_the_receive_count(int recorded, int receiveCount, int expected)
    {
        var services = Build().Services;
        var scans = services.GetRequiredService<IScanStore>();
        var id = await StoreQueuedScanAsync(services, recorded);

        var outcome = await services.GetRequiredService<ScanProcessor>().HandleAsync(new WorkItem(id, WorkKind.Process), receiveCount, Ct);

        var scan = (await scans.GetAsync(id, Ct))!;
        Assert.Equal(expected, scan.Attempts);
        Assert.Equal(expected, scan.Debug.AttemptLog[^1].Attempt);
        if (expected < MaxAttempts)
        {
            Assert.IsType<WorkOutcome.RetryLater>(outcome);
            Assert.Equal(ScanStatus.Queued, scan.Status);
        }
        else
        {
            Assert.Contains(UnavailableDetector.Message, Assert.IsType<WorkOutcome.DeadLetter>(outcome).Reason);
            Assert.Equal(ScanStatus.Failed, scan.Status);
        }
    }

    /// <summary>A queued API scan whose image is already stored, as the accept path leaves it.</summary>
    private static async Task<string> StoreQueuedScanAsync(IServiceProvider services, int recordedAttempts)
    {
        var bytes = TestImages.Jpeg();
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var id = Scan.NewId();
        var key = await services.GetRequiredService<IImageStore>().PutAsync(sha256, "image/jpeg", bytes, id, Ct);
        await services.GetRequiredService<IScanStore>().TryCreateAsync(new Scan
        {
            Id = id,
            Status = ScanStatus.Queued,
            Source = ScanSource.FromApi(new ApiOrigin(ApiTestHost.Acme, null, null)),
            Image = new ImageInfo(sha256, "image/jpeg", bytes.Length, 64, 48, key),
            Attempts = recordedAttempts,
            ReceivedAt = DateTimeOffset.UtcNow,
            ExpiresAt = DateTimeOffset.UtcNow.AddDays(1),
        }, Ct);
        return id;
    }

    [Fact]
    public async Task A_detector_configuration_error_fails_the_scan_at_once_with_the_operators_message_and_is_not_dead_lettered()
    {
        var detector = new MisconfiguredDetector();
        var services = Build(detector).Services;
        var id = await StoreQueuedScanAsync(services, recordedAttempts: 0);

        var outcome = await services.GetRequiredService<ScanProcessor>().HandleAsync(new WorkItem(id, WorkKind.Process), 1, Ct);

        Assert.Equal(WorkOutcome.Done, outcome);
        var scan = (await services.GetRequiredService<IScanStore>().GetAsync(id, Ct))!;
        Assert.Equal(ScanStatus.Failed, scan.Status);
        Assert.Equal(ScanProcessor.DetectorMisconfiguredCode, scan.Error!.Code);
        Assert.Equal(MisconfiguredDetector.Message, scan.Error.Message);
        Assert.Equal(["failed"], scan.Debug.AttemptLog.Select(a => a.Outcome));
        Assert.Equal(1, detector.Calls);
    }

    private async Task<List<(string Kind, bool Dead, string? Error)>> JobsAsync(WebApplication app, string scanId)
    {
        await using var connection = await app.Services.GetRequiredService<SqliteDatabase>().OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT kind, dead, last_error FROM jobs WHERE scan_id = $id ORDER BY id";
        command.Parameters.AddWithValue("$id", scanId);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var rows = new List<(string, bool, string?)>();
        while (await reader.ReadAsync(Ct))
        {
            rows.Add((reader.GetString(0), reader.GetInt64(1) != 0, reader.IsDBNull(2) ? null : reader.GetString(2)));
        }

        return rows;
    }
}
