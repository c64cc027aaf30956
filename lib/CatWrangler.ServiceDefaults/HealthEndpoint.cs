using CatWrangler.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CatWrangler.ServiceDefaults;

/// <summary><c>GET /healthz</c> of every host: <c>200</c>, or <c>503</c> while the embedded data folder is short of space.</summary>
public static class HealthEndpoint
{
    public const string Path = "/healthz";

    public static IEndpointRouteBuilder MapHealthz(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, (CatWranglerOptions options) =>
        {
            if (FreeBytes(options) is { } free && free < options.MinFreeDiskBytes)
            {
                return Results.Problem(
                    statusCode: StatusCodes.Status503ServiceUnavailable,
                    title: "Low disk space",
                    detail: $"{free} bytes free in the data folder; at least {options.MinFreeDiskBytes} are needed (CatWrangler:MinFreeDiskBytes).",
                    extensions: new Dictionary<string, object?> { ["code"] = "low_disk_space" });
            }

            return Results.Ok(new HealthStatus("ok"));
        })
            .WithName("GetHealth")
            .WithTags("health")
            .WithSummary("Liveness: 200 while the service can take work, 503 (problem) while the data folder is low on disk space.")
            .Produces<HealthStatus>()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return endpoints;
    }

    /// <summary>Free bytes where the embedded platform writes; null on AWS (no local data folder).</summary>
    private static long? FreeBytes(CatWranglerOptions options)
    {
        if (options.Platform != CatWranglerPlatform.Local)
        {
            return null;
        }

        var folder = System.IO.Path.GetFullPath(options.DataPath);
        return Directory.Exists(folder) ? new DriveInfo(folder).AvailableFreeSpace : null;
    }
}
