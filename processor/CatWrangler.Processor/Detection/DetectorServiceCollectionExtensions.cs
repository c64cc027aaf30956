using CatWrangler.Adapters.Aws;
using CatWrangler.Core;
using CatWrangler.Detection.Onnx;
using CatWrangler.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CatWrangler.Processor.Detection;

/// <summary>
/// The one place the classifier is chosen (<c>CatWrangler:Detector:Kind</c>). Only the hosts that classify (the processor,
/// <c>catscan serve</c> through <see cref="ProcessorModule"/>) call this, so the bot and webhooks hosts carry no model.
/// </summary>
public static class DetectorServiceCollectionExtensions
{
    public static IServiceCollection AddCatDetector(this IServiceCollection services, IConfiguration configuration)
    {
        var kind = KindOf(configuration);
        switch (kind)
        {
            case DetectorKind.Onnx:
                services.AddOnnxCatDetector(configuration);
                break;
            case DetectorKind.Rekognition:
                services.AddRekognitionCatDetector(configuration);
                break;
            default:
                throw new InvalidOperationException($"CatWrangler:Detector:Kind must be 'onnx' or 'rekognition', not '{kind}'.");
        }

        services.AddHealthChecks().AddCheck<DetectorHealthCheck>("detector", tags: [ServiceDefaultsExtensions.ReadyTag]);
        return services;
    }

    /// <summary>
    /// The configured detector, for deciding before the container exists (which detector to register, whether the CLI must
    /// provision a model). A value that is not a <see cref="DetectorKind"/> fails here, naming the key.
    /// </summary>
    public static DetectorKind KindOf(IConfiguration configuration)
        => configuration.GetSection(DetectorOptions.Section).GetValue(nameof(DetectorOptions.Kind), DetectorKind.Onnx);
}
