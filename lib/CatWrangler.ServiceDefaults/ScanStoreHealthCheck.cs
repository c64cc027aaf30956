using CatWrangler.Core.Ports;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CatWrangler.ServiceDefaults;

/// <summary>Readiness: the scan store answers a lookup (SQLite opens, DynamoDB answers GetItem).</summary>
public sealed class ScanStoreHealthCheck(IScanStore store) : IHealthCheck
{
    /// <summary>An id no scan has; the lookup's answer does not matter, only that the store gives one.</summary>
    private const string ProbeId = "readiness-probe";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.GetAsync(ProbeId, cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The exception's message stays in the log; the public answer only names the failing check.
            return HealthCheckResult.Unhealthy("The scan store is not reachable.", e);
        }
    }
}
