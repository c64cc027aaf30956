using System.Runtime.CompilerServices;
using CatWrangler.Bot.Commands;
using CatWrangler.Bot.Events;
using CatWrangler.Bot.Security;
using CatWrangler.Bot.SocketMode;
using CatWrangler.Slack;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

[assembly: InternalsVisibleTo("CatWrangler.Bot.Tests")]

namespace CatWrangler.Bot;

/// <summary>The bot host's endpoints (events, commands, request verification), so `catscan serve` can compose them with the others in one process.</summary>
public static class SlackBotModule
{
    /// <summary>The endpoints' services: verifier, event intake, <c>/catscan</c>. Needs the platform's ports.</summary>
    public static IServiceCollection AddSlackBot(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSlackClient(configuration);
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, BotJsonContext.Default));
        services.TryAddSingleton<SlackRequestVerifier>();
        services.TryAddSingleton<SlackRequestReader>();
        services.TryAddSingleton<Core.Pipeline.AcceptActivity>();
        services.TryAddScoped<SlackEventIntake>();
        services.TryAddTransient<SlashCommandIntake>();
        AddSocketMode(services, configuration);
        return services;
    }

    public static IEndpointRouteBuilder MapSlackBot(this IEndpointRouteBuilder endpoints)
    {
        var slack = endpoints.MapGroup("/slack").DisableAntiforgery();
        slack.MapPost("/events", SlackEventsEndpoint.HandleAsync);
        slack.MapPost("/commands", SlackCommandsEndpoint.HandleAsync);
        return endpoints;
    }

    /// <summary>Socket Mode runs beside the endpoints; it stays idle unless an app-level token is configured.</summary>
    private static void AddSocketMode(IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(SocketModeOptions.From(configuration));
        services.TryAddSingleton<SocketModeDispatcher>();
        services.AddHostedService<SocketModeService>();
    }
}
