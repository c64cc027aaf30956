using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CatWrangler.Bot;

/// <summary>Everything this host contributes, so `catscan serve` can compose it with the others in one process.</summary>
public static class SlackBotModule
{
    public static IServiceCollection AddSlackBot(this IServiceCollection services, IConfiguration configuration)
        => services;

    public static IEndpointRouteBuilder MapSlackBot(this IEndpointRouteBuilder endpoints)
        => endpoints;
}
