using CatWrangler.Platform;
using CatWrangler.ServiceDefaults;

namespace CatWrangler.Processor;

/// <summary>Composition root when this host runs alone (one Lambda behind the Web Adapter, or a plain process).</summary>
public static class Program
{
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddCatWranglerPlatform();
        builder.AddCatWranglerDefaults();
        builder.Services.AddProcessor(builder.Configuration);
        var app = builder.Build();
        app.MapCatWranglerDefaults();
        app.MapProcessor();
        app.Run();
    }
}
