using CatWrangler.Adapters.Aws;
using CatWrangler.Processor;
using CatWrangler.Processor.Sqs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CatWrangler.Aws.Tests.Sqs;

/// <summary>The processor's /events endpoint on Kestrel at 127.0.0.1 with the AWS adapters and a given per-record step.</summary>
internal sealed class EventsHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EventsHost(WebApplication app)
    {
        _app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Http = new HttpClient { BaseAddress = new Uri(address) };
    }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<EventsHost> StartAsync(AwsOptions aws, WorkItemHandler handler, IDictionary<string, string?>? extra = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CatWrangler:Platform"] = "aws",
            ["CatWrangler:Aws:BucketName"] = aws.BucketName,
            ["CatWrangler:Aws:TableName"] = aws.TableName,
            ["CatWrangler:Aws:QueueUrl"] = aws.QueueUrl,
            ["CatWrangler:Aws:ForcePathStyle"] = "true",
        });
        builder.Configuration.AddInMemoryCollection(extra ?? new Dictionary<string, string?>());
        builder.Services.AddAwsAdapters(builder.Configuration);
        builder.Services.AddSingleton(handler);
        builder.Services.AddProcessor(builder.Configuration);
        var app = builder.Build();
        app.MapProcessor();
        await app.StartAsync();
        return new EventsHost(app);
    }

    public async Task<HttpResponseMessage> PostEventAsync(string json)
        => await Http.PostAsync(SqsEventsEndpoint.Path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

    /// <summary>Stops the host (and its queue poller, if any) before the test looks at what the queue holds.</summary>
    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
