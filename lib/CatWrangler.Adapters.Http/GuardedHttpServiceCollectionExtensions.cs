using CatWrangler.Core.Pipeline;
using CatWrangler.Core.Ports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CatWrangler.Adapters.Http;

/// <summary>Registers HttpClients for caller-chosen URLs on the <see cref="GuardedHttpHandler"/>.</summary>
public static class GuardedHttpServiceCollectionExtensions
{
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A named client whose connections pass <see cref="IOutboundAddressPolicy"/>. Unless one is registered already (a test
    /// admitting exactly one listener), the policy is <see cref="OutboundAddressPolicy"/> with
    /// <c>CatWrangler:Callbacks:AllowPrivateNetworks</c> of the registered <see cref="CallbackOptions"/>. Set the request timeout on the returned builder.
    /// </summary>
    public static IHttpClientBuilder AddGuardedHttpClient(this IServiceCollection services, string name)
    {
        services.TryAddSingleton<IOutboundAddressPolicy>(sp => new OutboundAddressPolicy(sp.GetRequiredService<CallbackOptions>().AllowPrivateNetworks));
        return services.AddHttpClient(name)
            .ConfigurePrimaryHttpMessageHandler(sp => GuardedHttpHandler.Create(sp.GetRequiredService<IOutboundAddressPolicy>(), DefaultConnectTimeout));
    }

    /// <summary>The callback transport on its guarded client, with the <see cref="HttpCallbackTransport.Timeout"/>.</summary>
    public static IServiceCollection AddHttpCallbackTransport(this IServiceCollection services)
    {
        services.AddGuardedHttpClient(HttpCallbackTransport.ClientName).ConfigureHttpClient(http => http.Timeout = HttpCallbackTransport.Timeout);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ICallbackTransport, HttpCallbackTransport>();
        return services;
    }

    /// <summary>The processor's fetcher for images submitted by URL, on its own guarded client.</summary>
    public static IServiceCollection AddUrlImageFetcher(this IServiceCollection services)
    {
        services.AddGuardedHttpClient(UrlImageFetcher.ClientName).ConfigureHttpClient(http => http.Timeout = UrlImageFetcher.Timeout);
        services.TryAddEnumerable(ServiceDescriptor.Transient<IImageFetcher, UrlImageFetcher>());
        return services;
    }
}
