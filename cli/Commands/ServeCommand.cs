using CatWrangler.Adapters.Aws.Configuration;
using System.CommandLine;
using CatWrangler.Bot;
using CatWrangler.Cli.Api;
using CatWrangler.Cli.Scanning;
using CatWrangler.Cli.Serving;
using CatWrangler.Core;
using CatWrangler.Platform;
using CatWrangler.Processor;
using CatWrangler.ServiceDefaults;
using CatWrangler.Webhooks;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace CatWrangler.Cli.Commands;

/// <summary><c>catscan serve</c>: the Scan API, the Slack bot and the processor in one process (the embedded default).</summary>
public static partial class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "Where to listen", DefaultValueFactory = _ => ApiConnection.DefaultUrl };
        var data = new Option<string?>("--data") { Description = "Data folder (images, SQLite); default CatWrangler:DataPath or ./data" };
        var command = new Command("serve", "Run the Scan API, the Slack bot and the processor in one process") { urls, data };
        command.TreatUnmatchedTokensAsErrors = false; // further tokens are .NET configuration, e.g. --CatWrangler:Clients:acme:Secrets:0=whsec_…
        command.SetAction(async (parse, ct) =>
        {
            var builder = CreateBuilder(parse.GetValue(urls)!, parse.GetValue(data), [.. parse.UnmatchedTokens]);
            try
            {
                // The model is supplied before the host exists: its start-up only loads and verifies the file.
                await ModelPreparation.EnsureAsync(builder.Configuration, Console.Error, ct);
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"catscan serve: the cat detector model could not be prepared: {e.Message}");
                return 2;
            }

            var app = Compose(builder, parse.GetValue(urls)!);
            await app.RunAsync(ct);
            return 0;
        });
        return command;
    }

    /// <summary>
    /// The composition root of the one-process host. <paramref name="configureServices"/> runs first, so a test can register
    /// what the modules only add when absent (e.g. an outbound address policy admitting one loopback listener).
    /// </summary>
    /// <param name="console">Where the start-up banner goes (default standard output).</param>
    public static WebApplication Build(string urls, string? dataPath, string[] configurationArgs, Action<IServiceCollection>? configureServices = null, TextWriter? console = null)
    {
        var builder = CreateBuilder(urls, dataPath, configurationArgs);
        configureServices?.Invoke(builder.Services);
        return Compose(builder, urls, console);
    }

    /// <summary>Configuration and logging of the one-process host; nothing registered yet.</summary>
    private static WebApplicationBuilder CreateBuilder(string urls, string? dataPath, string[] configurationArgs)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = configurationArgs });
        if (dataPath is not null)
        {
            builder.Configuration["CatWrangler:DataPath"] = dataPath;
        }

        builder.Configuration.AddSsmParameters();

        // Uploads and classification share the cores in this process: classify on idle CPU time unless configured otherwise.
        builder.Configuration["CatWrangler:Detector:BackgroundPriority"] ??= "true";
        builder.WebHost.UseUrls(urls);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http", LogLevel.Warning);
        return builder;
    }

    private static WebApplication Compose(WebApplicationBuilder builder, string urls, TextWriter? console = null)
    {
        var production = ServeEnvironment.IsProduction(builder.Configuration);
        var devClient = !production && !builder.Configuration.GetSection(ApiClientRegistry.Section).GetChildren().Any()
            ? DevelopmentClient.LoadOrCreate(Path.GetFullPath(builder.Configuration["CatWrangler:DataPath"] ?? new CatWranglerOptions().DataPath))
            : null;
        if (devClient is not null)
        {
            builder.Configuration[$"{ApiClientRegistry.Section}:{devClient.Client}:Secrets:0"] = devClient.Secret;
        }

        builder.AddCatWranglerPlatform();
        builder.AddCatWranglerDefaults();
        builder.Services.AddScanApi(builder.Configuration);
        builder.Services.AddSlackBot(builder.Configuration);
        builder.Services.AddProcessor(builder.Configuration);

        var app = builder.Build();
        app.MapCatWranglerDefaults();
        app.MapScanApi();
        app.MapSlackBot();
        app.MapProcessor();

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("catscan.serve");
        var options = app.Services.GetRequiredService<CatWranglerOptions>();
        var clients = app.Services.GetRequiredService<ApiClientRegistry>().ConfiguredClientIds();
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            LogServing(logger, urls, Path.GetFullPath(options.DataPath), options.Platform, clients.Count == 0 ? "(none: set CatWrangler__Clients__<id>__Secrets__0)" : string.Join(", ", clients));
            var baseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? urls;
            (console ?? Console.Out).Write(ServeBanner.Text(
                baseUrl, Path.GetFullPath(options.DataPath), clients, devClient, production, ServeEnvironment.SlackMode(app.Configuration, baseUrl)));
        });
        return app;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "catscan serve: listening on {Urls}; data folder {DataPath}; platform {Platform}; API clients: {Clients}")]
    private static partial void LogServing(ILogger logger, string urls, string dataPath, CatWranglerPlatform platform, string clients);
}
