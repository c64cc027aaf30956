using CatWrangler.Core.Detection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CatWrangler.Processor.Detection;

/// <summary>Readiness: the detector resolves, i.e. its model is loaded (ONNX) or its client is configured (Rekognition).</summary>
public sealed class DetectorHealthCheck(IServiceProvider services) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            _ = services.GetRequiredService<ICatDetector>();
            return Task.FromResult(HealthCheckResult.Healthy());
        }
        catch (Exception e)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The detector could not be loaded.", e));
        }
    }
}
