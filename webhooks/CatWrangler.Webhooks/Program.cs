using CatWrangler.Adapters.Aws.Configuration;
using CatWrangler.Hosting;

namespace CatWrangler.Webhooks;

/// <summary>Composition root when this host runs alone (one Lambda behind the Web Adapter, or a plain process).</summary>
public static class Program
{
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Configuration.AddSsmParameters();
        builder.Services.AddCatWranglerPlatform(builder.Configuration);
        builder.Services.AddScanApi(builder.Configuration);
        var app = builder.Build();

        // Unhandled errors and bare status codes become problem bodies, never stack traces.
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapHealthz();
        app.MapScanApi();
        app.Run();
    }
}
