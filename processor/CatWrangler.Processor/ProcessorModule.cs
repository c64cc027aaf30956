using CatWrangler.Processor.Sqs;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CatWrangler.Processor;

/// <summary>Everything this host contributes, so `catscan serve` can compose it with the others in one process.</summary>
public static class ProcessorModule
{
    public static IServiceCollection AddProcessor(this IServiceCollection services, IConfiguration configuration)
    {
        if (SqsEventsEndpoint.IsEnabled(configuration))
        {
            services.AddSqsEvents();
        }

        return services;
    }

    public static IEndpointRouteBuilder MapProcessor(this IEndpointRouteBuilder endpoints)
    {
        var configuration = endpoints.ServiceProvider.GetRequiredService<IConfiguration>();
        if (SqsEventsEndpoint.IsEnabled(configuration))
        {
            endpoints.MapSqsEvents();
        }

        return endpoints;
    }
}
