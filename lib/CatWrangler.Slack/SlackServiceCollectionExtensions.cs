using CatWrangler.Core.Images;
using CatWrangler.Core.Options;
using CatWrangler.Core.Ports;
using CatWrangler.Slack.Api;
using CatWrangler.Slack.Commands;
using CatWrangler.Slack.Processing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CatWrangler.Slack;

/// <summary>Registration of the Slack integration; the bot host and the processor each take what they use.</summary>
public static class SlackServiceCollectionExtensions
{
    /// <summary>Name of the HttpClient used for file downloads (it does not follow redirects by itself).</summary>
    internal const string DownloadClient = "slack-files";

    /// <summary>
    /// What the processor needs for Slack: the file fetcher, the thread notifier, and the handlers of the Slack work kinds
    /// (deferred <c>/catscan</c> answers, share lookups for <c>file_shared</c> events; they need the processor's options).
    /// </summary>
    public static IServiceCollection AddSlackProcessing(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSlackClient(configuration);
        services.TryAddEnumerable(ServiceDescriptor.Transient<IImageFetcher, SlackImageFetcher>());
        services.TryAddTransient<SlackThreadReply>();
        services.TryAddEnumerable(ServiceDescriptor.Transient<IScanNotifier, SlackNotifier>());
        services.TryAddEnumerable(ServiceDescriptor.Transient<IWorkKindHandler, SlackCommandAnswerer>());
        services.TryAddEnumerable(ServiceDescriptor.Transient<IWorkKindHandler, SlackShareResolver>());
        return services;
    }

    /// <summary>Options, the Web API client, the download client and <c>/catscan</c>, registered once however many hosts ask.</summary>
    public static IServiceCollection AddSlackClient(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(SlackOptions)))
        {
            return services;
        }

        services.AddValidatedOptions<SlackOptions>(configuration, SlackOptions.Section, (_, options) => options.WithDefaults());
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient<SlackWebApiClient>((sp, http) => http.BaseAddress = sp.GetRequiredService<SlackOptions>().ApiBaseUrl).AddSlackRetry();
        services.AddHttpClient(DownloadClient)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .AddSlackRetry();
        services.AddTransient(sp => new SlackFileDownloader(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(DownloadClient),
            sp.GetRequiredService<ISecretStore>(),
            sp.GetRequiredService<SlackOptions>(),
            sp.GetRequiredService<ImageLimits>()));
        services.TryAddTransient<CatscanCommand>();
        return services;
    }
}
