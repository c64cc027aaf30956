using CatWrangler.Adapters.Aws.Configuration;
using CatWrangler.Hosting;

namespace CatWrangler.Processor;

/// <summary>Composition root when this host runs alone (one Lambda behind the Web Adapter, or a plain process).</summary>
public static class Program
{
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Configuration.AddSsmParameters();
        builder.Services.AddCatWranglerPlatform(builder.Configuration);
        builder.Services.AddProcessor(builder.Configuration);
        var app = builder.Build();
        app.MapHealthz();
        app.MapProcessor();
        app.Run();
    }
}
