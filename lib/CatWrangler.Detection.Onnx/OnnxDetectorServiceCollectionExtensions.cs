using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CatWrangler.Detection.Onnx;

public static class OnnxDetectorServiceCollectionExtensions
{
    /// <summary>The local ONNX CenterNet detector (the default). The host refuses to start without its model.</summary>
    public static IServiceCollection AddOnnxCatDetector(this IServiceCollection services, IConfiguration configuration)
        => throw new NotImplementedException("ONNX detector: issue 2");
}
