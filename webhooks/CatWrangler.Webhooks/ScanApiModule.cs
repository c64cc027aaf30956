using CatWrangler.Core;
using CatWrangler.Core.Options;
using CatWrangler.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CatWrangler.Webhooks;

/// <summary>Everything this host contributes, so `catscan serve` can compose it with the others in one process.</summary>
public static class ScanApiModule
{
    /// <summary>Needs the host defaults (problem details, JSON) and the platform services (ports, <c>ImageValidator</c>, options, <c>TimeProvider</c>) registered as well.</summary>
    public static IServiceCollection AddScanApi(this IServiceCollection services, IConfiguration configuration)
    {
        var platform = CatWranglerOptions.PlatformOf(configuration);
        services.AddValidatedOptions<ScanApiOptions>(configuration, ScanApiOptions.Section, (_, options) => options.ForPlatform(platform));
        services.AddValidatedOptions<CallbackOptions>(configuration, CallbackOptions.Section);
        services.TryAddSingleton<CallbackUrlPolicy>();
        services.TryAddSingleton<AcceptActivity>();
        services.TryAddSingleton<ScanIntake>();
        services.TryAddSingleton<ApiClientRegistry>();
        services.TryAddSingleton<RequestAuthenticator>();
        services.TryAddSingleton<PreAuthBodyBudget>();
        services.TryAddSingleton<SignedBodyReader>();
        services.TryAddSingleton<AuthFailureLog>();
        services.TryAddSingleton<ScanApiRateLimiter>();
        services.TryAddSingleton<ScanApiEndpoints>();
        services.TryAddSingleton<AnnotatedImageEndpoint>();
        services.TryAddSingleton<UploadEndpoints>();
        services.AddOpenApi(ScanApiOpenApi.Configure);
        return services;
    }

    public static IEndpointRouteBuilder MapScanApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOpenApi();

        var v1 = endpoints.MapGroup("/v1").WithTags("scans");
        v1.MapPost("/scans", (HttpRequest request, ScanApiEndpoints api, CancellationToken ct) => api.SubmitAsync(request, ct))
            .WithName(ScanApiOpenApi.SubmitOperation)
            .WithSummary("Submit a JPEG or PNG (raw body, multipart with a 'file' part, or JSON with image.base64 / image.uploadId); answers 202 with the queued scan.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status507InsufficientStorage);

        v1.MapGet("/scans/{id}", (HttpRequest request, string id, bool? debug, ScanApiEndpoints api, CancellationToken ct) => api.GetAsync(request, id, debug, ct))
            .WithName("GetScan")
            .WithSummary("One scan of the calling client; debug=true needs the 'debug' scope.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        v1.MapGet("/scans/{id}/annotated", (HttpRequest request, string id, AnnotatedImageEndpoint api, CancellationToken ct) => api.GetAsync(request, id, ct))
            .WithName(AnnotatedImageEndpoint.Operation)
            .WithSummary("The scan's picture with each cat box and its score drawn (PNG, long side at most 1600 px); 404 when no cat was found.")
            .Produces(StatusCodes.Status200OK, contentType: "image/png")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        v1.MapGet("/scans", (HttpRequest request, int? limit, ScanApiEndpoints api, CancellationToken ct) => api.ListAsync(request, limit, ct))
            .WithName("ListScans")
            .WithSummary("The calling client's most recent scans, newest first.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        endpoints.MapUploads(v1);
        return endpoints;
    }
}
