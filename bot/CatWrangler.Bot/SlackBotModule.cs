using System.Runtime.CompilerServices;
using CatWrangler.Bot.Api;
using CatWrangler.Bot.Commands;
using CatWrangler.Bot.Events;
using CatWrangler.Bot.Processing;
using CatWrangler.Bot.Security;
using CatWrangler.Bot.SocketMode;
using CatWrangler.Core.Ports;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

[assembly: InternalsVisibleTo("CatWrangler.Bot.Tests")]

namespace CatWrangler.Bot;

/// <summary>Everything this host contributes, so `catscan serve` can compose it with the others in one process.</summary>
public static class SlackBotModule
{
    /// <summary>Name of the HttpClient used for file downloads (it does not follow redirects by itself).</summary>
    internal const string DownloadClient = "slack-files";

    /// <summary>The endpoints' services: verifier, event intake, <c>/catscan</c>. Needs the platform's ports.</summary>
    public static IServiceCollection AddSlackBot(this IServiceCollection services, IConfiguration configuration)
    {
        AddSlackClient(services, configuration);
        services.TryAddSingleton<SlackRequestVerifier>();
        services.TryAddSingleton<SlackRequestReader>();
        services.TryAddSingleton<Core.Pipeline.AcceptActivity>();
        services.TryAddScoped<SlackEventIntake>();
        services.TryAddTransient<CatscanCommand>();
        services.TryAddTransient<SlashCommandIntake>();
        AddSocketMode(services, configuration);
        return services;
    }

    /// <summary>
    /// What the processor needs for Slack: the file fetcher, the thread notifier, and the handlers of the Slack work kinds
    /// (deferred <c>/catscan</c> answers, share lookups for <c>file_shared</c> events; they need the processor's options).
    /// </summary>
    public static IServiceCollection AddSlackProcessing(this IServiceCollection services, IConfiguration configuration)
    {
        AddSlackClient(services, configuration);
        services.TryAddEnumerable(ServiceDescriptor.Transient<IImageFetcher, SlackImageFetcher>());
        services.TryAddEnumerable(ServiceDescriptor.Transient<IScanNotifier, SlackNotifier>());
        services.TryAddTransient<CatscanCommand>();
        services.TryAddEnumerable(ServiceDescriptor.Transient<IWorkKindHandler, SlackCommandAnswerer>());
        services.TryAddEnumerable(ServiceDescriptor.Transient<IWorkKindHandler, SlackShareResolver>());
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

    /// <summary>Options, the Web API client and the download client, registered once however many modules ask.</summary>
    private static void AddSlackClient(IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(SlackOptions)))
        {
            return;
        }

        var options = SlackOptions.From(configuration);
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient<SlackWebApiClient>(http => http.BaseAddress = options.ApiBaseUrl).AddSlackRetry();
        services.AddHttpClient(DownloadClient)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .AddSlackRetry();
        services.AddTransient(sp => new SlackFileDownloader(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(DownloadClient),
            sp.GetRequiredService<ISecretStore>(),
            options,
            sp.GetRequiredService<Core.Images.ImageLimits>()));
    }
}
