using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CatWrangler.Webhooks;

/// <summary>Everything this host contributes, so `catscan serve` can compose it with the others in one process.</summary>
public static class ScanApiModule
{
    public static IServiceCollection AddScanApi(this IServiceCollection services, IConfiguration configuration)
        => services;

    public static IEndpointRouteBuilder MapScanApi(this IEndpointRouteBuilder endpoints)
        => endpoints;
}
