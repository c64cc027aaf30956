using CatWrangler.Core;
using CatWrangler.Core.Detection;
using CatWrangler.Core.Images;
using CatWrangler.Detection.Onnx.Imaging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CatWrangler.Detection.Onnx;

public static class OnnxDetectorServiceCollectionExtensions
{
    /// <summary>
    /// The local ONNX CenterNet detector (the default). The model is provisioned (built once, then cached) when the
    /// detector is first resolved; in a host that happens at start-up, so a host without its model refuses to start.
    /// </summary>
    public static IServiceCollection AddOnnxCatDetector(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(OnnxDetectorOptions.Section).Get<OnnxDetectorOptions>() ?? new OnnxDetectorOptions();
        var threshold = configuration.GetSection(DetectorOptions.Section).Get<DetectorOptions>()?.Threshold;
        if (threshold is < 0 or > 1)
        {
            throw new InvalidOperationException($"CatWrangler:Detector:Threshold must be between 0 and 1, not {threshold}.");
        }

        services.TryAddSingleton(_ => configuration.GetSection(ImageLimits.Section).Get<ImageLimits>() ?? new ImageLimits());
        services.TryAddSingleton(options);
        services.TryAddSingleton(sp => new DecodeBudget(sp.GetRequiredService<ImageLimits>()));
        services.TryAddSingleton(sp => new ImageDecoder(sp.GetRequiredService<ImageLimits>(), sp.GetRequiredService<DecodeBudget>()));
        services.TryAddSingleton<IModelProgress>(sp => sp.GetService<ILoggerFactory>() is { } logs
            ? new LoggingModelProgress(logs.CreateLogger<LoggingModelProgress>())
            : new SilentModelProgress());
        services.TryAddSingleton(sp => ModelLocator.Resolve(options, sp.GetRequiredService<IModelProgress>()));
        services.TryAddSingleton(sp =>
        {
            var model = sp.GetRequiredService<ResolvedModel>();
            return new OnnxCatDetector(model.Path, model.Version, options, sp.GetRequiredService<ImageDecoder>(), threshold);
        });
        services.TryAddSingleton<ICatDetector>(sp => sp.GetRequiredService<OnnxCatDetector>());
        services.AddHostedService<DetectorStartup>();
        return services;
    }

    /// <summary>Resolves the detector while the host starts, so a missing model stops the host with its message.</summary>
    private sealed class DetectorStartup(IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            _ = services.GetRequiredService<ICatDetector>();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
