using CatWrangler.Platform;
using CatWrangler.ServiceDefaults;
using CatWrangler.Webhooks;

namespace CatWrangler.LoadTest;

/// <summary>
/// `host` mode: the webhooks module alone on the real local adapters (files + SQLite), no processor, in its own process so
/// its RSS is measured apart from the driver. Used when `catscan serve` is not given.
/// </summary>
internal static class AcceptPathHost
{
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var configuration = builder.Configuration;
        builder.AddCatWranglerDefaults();
        builder.Services.AddCatWranglerPlatform(configuration);
        builder.Services.AddScanApi(configuration);
        var app = builder.Build();
        app.MapCatWranglerDefaults();
        app.MapScanApi();
        await app.RunAsync();
        return 0;
    }
}
