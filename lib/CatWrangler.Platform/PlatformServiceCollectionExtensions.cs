using CatWrangler.Adapters.Aws;
using CatWrangler.Adapters.Local;
using CatWrangler.Core;
using CatWrangler.Core.Images;
using CatWrangler.Core.Options;
using CatWrangler.Core.Uploads;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CatWrangler.Platform;

/// <summary>Chooses the adapters for every port from <c>CatWrangler:Platform</c>. Each host's composition root calls this once.</summary>
public static class PlatformServiceCollectionExtensions
{
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
