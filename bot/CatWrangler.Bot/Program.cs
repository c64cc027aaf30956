using CatWrangler.Adapters.Aws.Configuration;
using CatWrangler.Hosting;

namespace CatWrangler.Bot;

/// <summary>Composition root when this host runs alone (one Lambda behind the Web Adapter, or a plain process).</summary>
public static class Program
{
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Configuration.AddSsmParameters();
        builder.Services.AddCatWranglerPlatform(builder.Configuration);
        builder.Services.AddSlackBot(builder.Configuration);
        builder.Services.AddProblemDetails();
        var app = builder.Build();

        // Unhandled errors become problem bodies (a 500 Slack retries), never stack traces.
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapHealthz();
        app.MapSlackBot();
        app.Run();
    }
}
