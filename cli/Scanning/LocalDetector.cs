using CatWrangler.Core.Annotation;
using CatWrangler.Core.Detection;
using CatWrangler.Core.Images;
using CatWrangler.Core.Options;
using CatWrangler.Detection.Onnx;
using CatWrangler.Detection.Onnx.Imaging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CatWrangler.Cli.Scanning;

/// <summary>
/// The CLI's composition root for offline commands: configuration (appsettings.json, CATWRANGLER__… environment
/// variables, command-line overrides) → model supply (progress to stderr) → validator + ONNX detector.
/// </summary>
internal sealed class LocalDetector : IDisposable
{
    private readonly ServiceProvider provider;

    private LocalDetector(ServiceProvider provider)
    {
        this.provider = provider;
        Validator = provider.GetRequiredService<ImageValidator>();
        Detector = provider.GetRequiredService<ICatDetector>();
        Annotator = provider.GetRequiredService<IImageAnnotator>();
    }

    public ImageValidator Validator { get; }

    public ICatDetector Detector { get; }

    /// <summary>Draws the boxes (<c>scan --annotate</c>), sharing the detector's decoder and memory budget.</summary>
    public IImageAnnotator Annotator { get; }

    /// <exception cref="InvalidOperationException">The model could not be provisioned or the configuration is invalid.</exception>
    public static async Task<LocalDetector> CreateAsync(IReadOnlyDictionary<string, string?> overrides, TextWriter progress, CancellationToken cancellationToken)
    {
        var configuration = new ConfigurationBuilder()
            .SetBasePath(Directory.GetCurrentDirectory())
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddInMemoryCollection(overrides)
            .Build();
        await ModelPreparation.EnsureAsync(configuration, progress, cancellationToken);
        var services = new ServiceCollection();
        services.AddValidatedOptions<ImageLimits>(configuration, ImageLimits.Section);
        services.AddSingleton<ImageValidator>();
        services.AddOnnxCatDetector(configuration);
        services.AddImageAnnotator(configuration);
        var provider = services.BuildServiceProvider();
        try
        {
            return new LocalDetector(provider);
        }
        catch
        {
            provider.Dispose();
            throw;
        }
    }

    public void Dispose() => provider.Dispose();
}
