using CatWrangler.Adapters.Aws;
using CatWrangler.Adapters.Aws.Configuration;
using CatWrangler.Adapters.Local;
using CatWrangler.Core;
using CatWrangler.Core.Images;
using CatWrangler.Core.Options;
using CatWrangler.Core.Uploads;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CatWrangler.Platform;

/// <summary>Chooses the adapters for every port from <c>CatWrangler:Platform</c>. Each host's composition root calls this once.</summary>
public static class PlatformServiceCollectionExtensions
{
    /// <summary>
    /// A host's platform: on aws, Parameter Store joins configuration first (secrets, clients, power users), then the
    /// adapters are registered from it.
    /// </summary>
    public static TBuilder AddCatWranglerPlatform<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Configuration.AddSsmParameters();
        builder.Services.AddCatWranglerPlatform(builder.Configuration);
        return builder;
    }

    public static IServiceCollection AddCatWranglerPlatform(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<CatWranglerOptions>(configuration, CatWranglerOptions.Section);
        services.AddSingleton(TimeProvider.System);
        services.AddValidatedOptions<ImageLimits>(configuration, ImageLimits.Section);
        services.AddSingleton<ImageValidator>();
        services.AddValidatedOptions<UploadOptions>(configuration, UploadOptions.Section);

        var platform = CatWranglerOptions.PlatformOf(configuration);
        switch (platform)
        {
            case CatWranglerPlatform.Local:
                services.AddLocalAdapters(configuration);
                break;
            case CatWranglerPlatform.Aws:
                services.AddAwsAdapters(configuration);
                break;
            default:
                throw new InvalidOperationException($"CatWrangler:Platform must be 'local' or 'aws', not '{platform}'.");
        }

        return services;
    }
}
