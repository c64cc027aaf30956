using CatWrangler.Adapters.Aws;
using CatWrangler.Adapters.Local;
using CatWrangler.Core;
using CatWrangler.Core.Images;
using CatWrangler.Core.Uploads;
using CatWrangler.Detection.Onnx;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CatWrangler.Hosting;

/// <summary>Chooses the adapters for every port from configuration. Each host's composition root calls this once.</summary>
public static class PlatformServiceCollectionExtensions
{
    public static IServiceCollection AddCatWranglerPlatform(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(CatWranglerOptions.Section).Get<CatWranglerOptions>() ?? new CatWranglerOptions();
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        var limits = configuration.GetSection(ImageLimits.Section).Get<ImageLimits>() ?? new ImageLimits();
        services.AddSingleton(limits);
        services.AddSingleton<ImageValidator>();
        services.AddSingleton(configuration.GetSection(UploadOptions.Section).Get<UploadOptions>() ?? new UploadOptions());

        switch (options.Platform.ToLowerInvariant())
        {
            case "local":
                services.AddLocalAdapters(configuration);
                break;
            case "aws":
                services.AddAwsAdapters(configuration);
                break;
            default:
                throw new InvalidOperationException($"CatWrangler:Platform must be 'local' or 'aws', not '{options.Platform}'.");
        }

        return services;
    }

    /// <summary>
    /// The classifier chosen by <c>CatWrangler:Detector:Kind</c>. Only the hosts that classify (the processor, the CLI) call
    /// this, so the bot and webhooks Lambdas start without loading a model.
    /// </summary>
    public static IServiceCollection AddCatDetector(this IServiceCollection services, IConfiguration configuration)
    {
        var detector = configuration.GetSection(DetectorOptions.Section).Get<DetectorOptions>() ?? new DetectorOptions();
        switch (detector.Kind.ToLowerInvariant())
        {
            case "onnx":
                services.AddOnnxCatDetector(configuration);
                break;
            case "rekognition":
                services.AddRekognitionCatDetector(configuration);
                break;
            default:
                throw new InvalidOperationException($"CatWrangler:Detector:Kind must be 'onnx' or 'rekognition', not '{detector.Kind}'.");
        }

        return services;
    }
}
