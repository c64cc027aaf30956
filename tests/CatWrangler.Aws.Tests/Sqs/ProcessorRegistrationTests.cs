using CatWrangler.Adapters.Local;
using System.Net;
using CatWrangler.Adapters.Aws;
using CatWrangler.Core.Ports;
using CatWrangler.Processor;
using CatWrangler.Processor.Sqs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CatWrangler.Aws.Tests.Sqs;

public sealed class ProcessorRegistrationTests
{
    [Theory]
    [InlineData("local", false)]
    [InlineData(null, false)]
    [InlineData("aws", true)]
    [InlineData("AWS", true)]
    public void The_events_endpoint_belongs_to_the_aws_platform_only(string? platform, bool enabled)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["CatWrangler:Platform"] = platform }).Build();
        Assert.Equal(enabled, SqsEventsEndpoint.IsEnabled(configuration));
    }

    [Fact]
    public async Task On_the_local_platform_post_events_is_not_mapped()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["CatWrangler:Platform"] = "local" });
        builder.Services.AddSingleton<WorkItemHandler>((_, _, _) => Task.FromResult(WorkOutcome.Done));
        // The local platform's worker runs on the real local queue.
        var data = Directory.CreateTempSubdirectory("catwrangler-registration-").FullName;
        builder.Services.AddSingleton(new CatWrangler.Core.CatWranglerOptions { DataPath = data });
        builder.Services.AddLocalAdapters(builder.Configuration);
        builder.Services.AddProcessor(builder.Configuration);
        await using var app = builder.Build();
        app.MapProcessor();
        await app.StartAsync(TestContext.Current.CancellationToken);

        using var http = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };
        using var response = await http.PostAsync(SqsEventsEndpoint.Path, new StringContent("""{"Records":[]}"""), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Null(app.Services.GetService<SqsRecordHandler>());
        await app.StopAsync(TestContext.Current.CancellationToken);
    }

    [Theory]
    [InlineData("aws", "3", "9", 3)] // aws: the redrive policy decides, whatever CatWrangler:Processor:MaxAttempts says
    [InlineData("aws", null, null, 5)] // both defaults agree
    [InlineData("local", "3", "9", 9)]
    public void On_aws_the_processors_max_attempts_is_the_queues_max_receive_count(string platform, string? maxReceiveCount, string? maxAttempts, int expected)
    {
        var settings = new Dictionary<string, string?>
        {
            ["CatWrangler:Platform"] = platform,
            ["CatWrangler:Aws:BucketName"] = "b",
            ["CatWrangler:Aws:TableName"] = "t",
            ["CatWrangler:Aws:QueueUrl"] = "http://127.0.0.1:1/q",
            ["CatWrangler:Aws:MaxReceiveCount"] = maxReceiveCount,
            ["CatWrangler:Processor:MaxAttempts"] = maxAttempts,
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.Where(kv => kv.Value is not null)).Build();

        using var provider = new ServiceCollection().AddProcessor(configuration).BuildServiceProvider();

        Assert.Equal(expected, provider.GetRequiredService<CatWrangler.Core.Pipeline.ProcessorOptions>().MaxAttempts);
    }

    [Theory]
    [InlineData("BucketName")]
    [InlineData("TableName")]
    [InlineData("QueueUrl")]
    public void Missing_resource_names_fail_at_start_up_with_the_key_to_set(string missing)
    {
        var settings = new Dictionary<string, string?>
        {
            ["CatWrangler:Aws:BucketName"] = "b",
            ["CatWrangler:Aws:TableName"] = "t",
            ["CatWrangler:Aws:QueueUrl"] = "http://127.0.0.1:1/q",
            [$"CatWrangler:Aws:{missing}"] = "",
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

        using var provider = new ServiceCollection().AddAwsAdapters(configuration).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<AwsOptions>());
        Assert.Contains($"CatWrangler:Aws:{missing}", error.Message);
    }
}
