using CatWrangler.Core.Annotation;
using CatWrangler.Core.Images;
using CatWrangler.Core.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CatWrangler.Detection.Onnx.Imaging;

public static class AnnotationServiceCollectionExtensions
{
    /// <summary>
    /// The annotated-picture renderer, sharing the detector's decoder and decode budget when the ONNX detector is there
    /// (with Rekognition the processor still decodes here, for drawing only).
    /// </summary>
    public static IServiceCollection AddImageAnnotator(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ImageLimits>(configuration, ImageLimits.Section);
        services.TryAddSingleton(sp => new DecodeBudget(sp.GetRequiredService<ImageLimits>()));
        services.TryAddSingleton(sp => new ImageDecoder(sp.GetRequiredService<ImageLimits>(), sp.GetRequiredService<DecodeBudget>()));
        services.TryAddSingleton<IImageAnnotator>(sp => new AnnotatedImageRenderer(sp.GetRequiredService<ImageDecoder>()));
        return services;
    }
}
