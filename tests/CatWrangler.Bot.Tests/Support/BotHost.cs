using CatWrangler.Slack;
using CatWrangler.Core;
using CatWrangler.Core.Images;
using CatWrangler.Core.Ports;
using CatWrangler.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CatWrangler.Bot.Tests.Support;

/// <summary>A real Kestrel host on a free 127.0.0.1 port serving /slack/*, talking to a <see cref="FakeSlack"/>.</summary>
internal sealed class BotHost : IAsyncDisposable
{
    private BotHost(WebApplication app, HttpClient client)
    {
        App = app;
        Client = client;
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => App.Services;

    /// <summary>The Slack configuration the tests share: secret, token, fake API base URL, fake file host, one power user.</summary>
    public static Dictionary<string, string?> SlackConfiguration(FakeSlack slack) => new()
    {
        [SlackOptions.SigningSecretKey] = SlackSigning.Secret,
        [SlackOptions.BotTokenKey] = FakeSlack.BotToken,
        ["CatWrangler:Slack:ApiBaseUrl"] = slack.ApiUrl,
        ["CatWrangler:Slack:FileHosts:0"] = slack.Host,
        ["CatWrangler:Slack:PowerUsers:0"] = "U0POWER",
    };

    /// <summary>The bot alone, on the real local store and queue.</summary>
    public static Task<BotHost> StartOnLocalPortsAsync(FakeSlack slack, LocalPorts ports, Action<Dictionary<string, string?>>? tweak = null)
    {
        var config = SlackConfiguration(slack);
        tweak?.Invoke(config);
        return StartAsync(config, (services, configuration) =>
        {
            services.AddSingleton<ISecretStore>(new DictionarySecretStore(config));
            services.AddSingleton<IScanStore>(ports.Store);
            services.AddSingleton<IWorkQueue>(ports.Queue);
            services.AddSingleton<IImageStore>(ports.Images);
            services.AddSingleton(new CatWranglerOptions());
            services.AddSingleton(new ImageLimits());
            services.AddSlackBot(configuration);
            services.AddSlackProcessing(configuration);
        });
    }

    public static async Task<BotHost> StartAsync(Dictionary<string, string?> config, Action<IServiceCollection, IConfiguration> compose)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(config);
        builder.Logging.ClearProviders();
        compose(builder.Services, builder.Configuration);
        var app = builder.Build();
        app.MapSlackBot();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new BotHost(app, new HttpClient { BaseAddress = new Uri(address) });
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
