using System.Security.Cryptography;
using CatWrangler.Core.Annotation;
using CatWrangler.Core.Detection;
using CatWrangler.Core.Pipeline;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;
using CatWrangler.Platform;
using CatWrangler.Pipeline.Tests.Api;
using CatWrangler.Processor;
using CatWrangler.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CatWrangler.Pipeline.Tests.Processing;

/// <summary>
/// The processor draws the annotated picture when a cat is found, before the verdict is saved; drawing is best effort.
/// The real local composition (<c>AddProcessor</c> with its renderer), only the detector replaced.
/// </summary>
public sealed class AnnotationTests : IAsyncDisposable
{
    private readonly string _dataPath = Directory.CreateTempSubdirectory("catwrangler-annotation-").FullName;
    private WebApplication? _app;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dataPath, recursive: true);
    }

    private IServiceProvider Build(bool isCat, IImageAnnotator? annotator = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["CatWrangler:DataPath"] = _dataPath });
        builder.Services.AddCatWranglerPlatform(builder.Configuration);
        builder.Services.AddSingleton<ICatDetector>(new OneBoxDetector(isCat));
        if (annotator is not null)
        {
            builder.Services.AddSingleton(annotator);
        }

        builder.Services.AddProcessor(builder.Configuration);
        _app = builder.Build();
        return _app.Services;
    }

    private static async Task<(Scan Scan, WorkOutcome Outcome)> ProcessAsync(IServiceProvider services)
    {
        var bytes = TestImages.Jpeg(64, 48);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var id = Scan.NewId();
        var key = await services.GetRequiredService<IImageStore>().PutAsync(sha256, "image/jpeg", bytes, id, Ct);
        var scans = services.GetRequiredService<IScanStore>();
        await scans.TryCreateAsync(new Scan
        {
            Id = id,
            Status = ScanStatus.Queued,
            Source = ScanSource.FromApi(new ApiOrigin(ApiTestHost.Acme, null, null)),
            Image = new ImageInfo(sha256, "image/jpeg", bytes.Length, 64, 48, key),
            ReceivedAt = DateTimeOffset.UtcNow,
            ExpiresAt = DateTimeOffset.UtcNow.AddDays(1),
        }, Ct);

        var outcome = await services.GetRequiredService<ScanProcessor>().HandleAsync(new WorkItem(id, WorkKind.Process), 1, Ct);
        return ((await scans.GetAsync(id, Ct))!, outcome);
    }

    [Fact]
    public async Task A_cat_gets_its_picture_stored_before_the_verdict()
    {
        var services = Build(isCat: true);

        var (scan, _) = await ProcessAsync(services);

        Assert.Equal(ScanStatus.Done, scan.Status);
        var png = await services.GetRequiredService<IImageStore>().GetAnnotatedAsync(scan.Id, Ct);
        Assert.NotNull(png);
        using var codec = SkiaSharp.SKCodec.Create(new MemoryStream(png));
        Assert.Equal(SkiaSharp.SKEncodedImageFormat.Png, codec.EncodedFormat);
        Assert.Equal((64, 48), (codec.Info.Width, codec.Info.Height));
    }

    [Fact]
    public async Task No_cat_no_picture()
    {
        var services = Build(isCat: false);

        var (scan, _) = await ProcessAsync(services);

        Assert.Equal(ScanStatus.Done, scan.Status);
        Assert.Null(await services.GetRequiredService<IImageStore>().GetAnnotatedAsync(scan.Id, Ct));
    }

    [Fact]
    public async Task A_drawing_failure_neither_fails_nor_retries_the_scan()
    {
        var services = Build(isCat: true, annotator: new BrokenAnnotator());

        var (scan, outcome) = await ProcessAsync(services);

        Assert.Equal(WorkOutcome.Done, outcome);
        Assert.Equal(ScanStatus.Done, scan.Status);
        Assert.True(scan.Verdict!.IsCat);
        Assert.Null(await services.GetRequiredService<IImageStore>().GetAnnotatedAsync(scan.Id, Ct));
    }

    private sealed class OneBoxDetector(bool isCat) : ICatDetector
    {
        public DetectorDescriptor Descriptor { get; } = new("one-box", "1", 0.5);

        public Task<DetectionResult> DetectAsync(ImageContent image, CancellationToken cancellationToken)
            => Task.FromResult(new DetectionResult(
                new Verdict(isCat, isCat ? 0.9 : 0.1, isCat ? [new BoundingBox(8, 8, 30, 20, 0.9)] : [], [new LabelScore("cat", isCat ? 0.9 : 0.1)], Descriptor.Id, Descriptor.ModelVersion, Descriptor.Threshold),
                new DetectionDiagnostics()));
    }

    private sealed class BrokenAnnotator : IImageAnnotator
    {
        public byte[] Render(ReadOnlySpan<byte> image, IReadOnlyList<BoundingBox> boxes) => throw new InvalidOperationException("no surface");
    }
}
