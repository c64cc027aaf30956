using System.Text.Json.Serialization;
using CatWrangler.Core.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CatWrangler.ServiceDefaults;

/// <summary>
/// What every host (bot, webhooks, processor, <c>catscan serve</c>) does the same way, in the manner of .NET Aspire's
/// ServiceDefaults: unhandled errors and bare status codes become RFC 9457 problem JSON, one JSON shape, <c>/healthz</c>
/// (liveness) and <c>/readyz</c> (readiness). Hosts add their platform, adapters and endpoints themselves.
/// </summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Health checks with this tag answer <c>/readyz</c>; <c>/healthz</c> stays a cheap liveness answer.</summary>
    public const string ReadyTag = "ready";

    public const string ReadinessPath = "/readyz";

    public static TBuilder AddCatWranglerDefaults<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            CatWranglerJson.Apply(json.SerializerOptions);
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, ServiceDefaultsJsonContext.Default);
            // The web defaults read numbers from strings too, which the OpenAPI document would show as "integer or string".
            json.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
        builder.Services.AddHealthChecks().AddCheck<ScanStoreHealthCheck>("scan-store", tags: [ReadyTag]);
        return builder;
    }

    public static WebApplication MapCatWranglerDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapHealthz();
        app.MapHealthChecks(ReadinessPath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) })
            .WithName("GetReadiness")
            .WithTags("health")
            .WithSummary("Readiness: 200 'Healthy' once the scan store answers (and, in hosts that classify, the model is loaded); 503 'Unhealthy' otherwise.");
        return app;
    }
}
