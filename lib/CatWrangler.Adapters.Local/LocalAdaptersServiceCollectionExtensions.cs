using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CatWrangler.Adapters.Local;

public static class LocalAdaptersServiceCollectionExtensions
{
    /// <summary>Files for images, SQLite for scans and the work queue, configuration for secrets.</summary>
    public static IServiceCollection AddLocalAdapters(this IServiceCollection services, IConfiguration configuration)
        => throw new NotImplementedException("local adapters: issue 3");
}
