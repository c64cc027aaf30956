using CatWrangler.Core.Options;
using CatWrangler.Core.Security;
using CatWrangler.Core;
using CatWrangler.Core.Ports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CatWrangler.Adapters.Local;

public static class LocalAdaptersServiceCollectionExtensions
{
    /// <summary>Files for images and staged uploads, SQLite for scans and the work queue, configuration for secrets.</summary>
    public static IServiceCollection AddLocalAdapters(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(sp => new SqliteDatabase(sp.GetRequiredService<CatWranglerOptions>().DataPath));
        services.AddSingleton<IScanStore, SqliteScanStore>();
        services.AddSingleton<SqliteWorkQueue>();
        services.AddSingleton<IWorkQueue>(sp => sp.GetRequiredService<SqliteWorkQueue>());
        services.AddSingleton(sp => new FileImageStore(sp.GetRequiredService<CatWranglerOptions>().DataPath));
        services.AddSingleton<IImageStore>(sp => sp.GetRequiredService<FileImageStore>());
        services.AddValidatedOptions<RetentionSweepOptions>(configuration, RetentionSweepOptions.Section);
        services.AddSingleton<RetentionSweeper>();
        services.AddSingleton<ISecretStore, ConfigurationSecretStore>();
        services.AddSingleton<LocalUploadStaging>();
        services.AddSingleton<IUploadStaging>(sp => sp.GetRequiredService<LocalUploadStaging>());
        return services;
    }
}
