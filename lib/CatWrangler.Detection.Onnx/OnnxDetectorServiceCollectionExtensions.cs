using CatWrangler.Core;
using CatWrangler.Core.Detection;
using CatWrangler.Core.Images;
using CatWrangler.Core.Options;
using CatWrangler.Detection.Onnx.Imaging;
using CatWrangler.Detection.Onnx.Model;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace CatWrangler.Detection.Onnx;

public static class OnnxDetectorServiceCollectionExtensions
{
    /// <summary>
    /// The local ONNX CenterNet detector (the default). The model must already be in the model directory (the model supply
    /// builds it: the CLI before its host starts, tools/package.sh into the processor's zip); it is verified against its
    /// manifest and loaded when the detector is first resolved, at start-up, so a host without its model refuses to start.
    /// </summary>
    public static IServiceCollection AddOnnxCatDetector(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<OnnxDetectorOptions>(configuration, OnnxDetectorOptions.Section);
        services.AddValidatedOptions<DetectorOptions>(configuration, DetectorOptions.Section);
        services.AddValidatedOptions<ImageLimits>(configuration, ImageLimits.Section);
        services.TryAddSingleton(sp => new DecodeBudget(sp.GetRequiredService<ImageLimits>()));
        services.TryAddSingleton(sp => new ImageDecoder(sp.GetRequiredService<ImageLimits>(), sp.GetRequiredService<DecodeBudget>()));
        services.TryAddSingleton(sp => new ModelFile(sp.GetRequiredService<OnnxDetectorOptions>()).Load());
        services.TryAddSingleton(sp =>
        {
            var model = sp.GetRequiredService<ResolvedModel>();
            return new OnnxCatDetector(
                model.Path, model.Version, sp.GetRequiredService<OnnxDetectorOptions>(), sp.GetRequiredService<ImageDecoder>(), sp.GetRequiredService<DetectorOptions>().Threshold);
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
