using CatWrangler.Adapters.Aws;
using CatWrangler.Adapters.Local;
using CatWrangler.Core;
using CatWrangler.Core.Images;
using CatWrangler.Core.Uploads;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CatWrangler.Platform;

/// <summary>Chooses the adapters for every port from <c>CatWrangler:Platform</c>. Each host's composition root calls this once.</summary>
public static class PlatformServiceCollectionExtensions
{
    public static IServiceCollection AddCatWranglerPlatform(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(CatWranglerOptions.Section).Get<CatWranglerOptions>() ?? new CatWranglerOptions();
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        var limits = configuration.GetSection(ImageLimits.Section).Get<ImageLimits>() ?? new ImageLimits();
        services.AddSingleton(limits);
        services.AddSingleton<ImageValidator>();
        services.AddSingleton(configuration.GetSection(UploadOptions.Section).Get<UploadOptions>() ?? new UploadOptions());

        switch (options.Platform)
        {
            case CatWranglerPlatform.Local:
                services.AddLocalAdapters(configuration);
                break;
            case CatWranglerPlatform.Aws:
                services.AddAwsAdapters(configuration);
                break;
            default:
                throw new InvalidOperationException($"CatWrangler:Platform must be 'local' or 'aws', not '{options.Platform}'.");
        }

        return services;
    }

    /// <summary>
    /// The configured platform, for modules that differ by platform while registering (before the container exists).
    /// A value that is not a <see cref="CatWranglerPlatform"/> fails here, naming the key.
    /// </summary>
    public static CatWranglerPlatform PlatformOf(IConfiguration configuration)
        => configuration.GetSection(CatWranglerOptions.Section).GetValue(nameof(CatWranglerOptions.Platform), CatWranglerPlatform.Local);
}
