using System.Net.Http.Headers;
using CatWrangler.Adapters.Local;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Security;
using CatWrangler.Platform;
using CatWrangler.ServiceDefaults;
using CatWrangler.TestSupport;
using CatWrangler.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace CatWrangler.Pipeline.Tests.Api;

/// <summary>The scan API on a real Kestrel at 127.0.0.1 (random port) on the real local adapters in a temp data folder.</summary>
public sealed class ApiTestHost : IAsyncDisposable
{
    public const string Acme = "acme";
    public const string Debugger = "inspector";

    private readonly WebApplication _app;

    private ApiTestHost(WebApplication app, string dataPath, Dictionary<string, string?> settings)
    {
        _app = app;
        DataPath = dataPath;
        Settings = settings;
        BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        // Every response a test receives is checked against the served OpenAPI document.
        Http = new HttpClient(new OpenApiValidatingHandler()) { BaseAddress = BaseAddress };
    }

    public static string AcmeSecret { get; } = StandardWebhooksSignature.NewSecret();
    public static string AcmeOldSecret { get; } = StandardWebhooksSignature.NewSecret();
    public static string DebuggerSecret { get; } = StandardWebhooksSignature.NewSecret();

    public Uri BaseAddress { get; }
    public HttpClient Http { get; }
    public string DataPath { get; }
    public Dictionary<string, string?> Settings { get; }
    public IServiceProvider Services => _app.Services;

    /// <summary>The real stores' contents: SQLite rows and image files in <see cref="DataPath"/>.</summary>
    public StoredScans Scans => new(Services.GetRequiredService<SqliteDatabase>(), Services.GetRequiredService<IScanStore>());

    public StoredImages Images => new(DataPath, Services.GetRequiredService<IImageStore>());

    public StoredJobs Queue => new(Scans);

    /// <summary>Every log record of Warning and above (Debug for the API's own), for tests about what reaches the log.</summary>
    public FakeLogCollector Logs => Services.GetFakeLogCollector();

    /// <param name="overrides">Configuration on top of the defaults.</param>
    /// <param name="services">Replacements registered after the platform and the API (test doubles of ports).</param>
    /// <param name="dataPath">The data folder (default: a new temp folder); it is deleted on dispose either way.</param>
    public static async Task<ApiTestHost> StartAsync(IDictionary<string, string?>? overrides = null, Action<IServiceCollection>? services = null, string? dataPath = null)
    {
        dataPath ??= Path.Combine(Path.GetTempPath(), "catwrangler-api-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataPath);
        var settings = new Dictionary<string, string?>
        {
            ["CatWrangler:DataPath"] = dataPath,
            [$"CatWrangler:Clients:{Acme}:Secrets:0"] = AcmeOldSecret,
            [$"CatWrangler:Clients:{Acme}:Secrets:1"] = AcmeSecret,
            [$"CatWrangler:Clients:{Debugger}:Secrets:0"] = DebuggerSecret,
            [$"CatWrangler:Clients:{Debugger}:Scopes:0"] = "debug",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("CatWrangler.Webhooks", LogLevel.Debug);
        builder.Logging.AddFakeLogging();
        var configuration = builder.Configuration;
        builder.AddCatWranglerDefaults();
        builder.Services.AddCatWranglerPlatform(configuration);
        builder.Services.AddScanApi(configuration);
        services?.Invoke(builder.Services);

        var app = builder.Build();
        app.MapCatWranglerDefaults();
        app.MapScanApi();
        await app.StartAsync();
        return new ApiTestHost(app, dataPath, settings);
    }

    /// <summary>A request signed per Standard Webhooks by <paramref name="client"/> with <paramref name="secret"/>.</summary>
    public static HttpRequestMessage Signed(
        HttpMethod method,
        string path,
        HttpContent? content,
        string client = Acme,
        string? secret = null,
        string? webhookId = null,
        DateTimeOffset? timestamp = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        var body = content?.ReadAsByteArrayAsync().GetAwaiter().GetResult() ?? [];
        var id = webhookId ?? "msg_" + Guid.NewGuid().ToString("N");
        var at = timestamp ?? DateTimeOffset.UtcNow;
        request.Headers.Add(ApiHeaders.Client, client);
        request.Headers.Add(ApiHeaders.WebhookId, id);
        request.Headers.Add(ApiHeaders.WebhookTimestamp, at.ToUnixTimeSeconds().ToString());
        request.Headers.Add(ApiHeaders.WebhookSignature, StandardWebhooksSignature.Sign(secret ?? SecretOf(client), id, at, body));
        return request;
    }

    public static ByteArrayContent Raw(byte[] bytes, string? contentType)
    {
        var content = new ByteArrayContent(bytes);
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        return content;
    }

    public static string SecretOf(string client) => client switch
    {
        Acme => AcmeSecret,
        Debugger => DebuggerSecret,
        _ => StandardWebhooksSignature.NewSecret(),
    };

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(DataPath, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a leftover temp folder is harmless
        }
    }
}
