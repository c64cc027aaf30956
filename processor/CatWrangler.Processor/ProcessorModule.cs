using CatWrangler.Adapters.Aws;
using CatWrangler.Adapters.Http;
using CatWrangler.Core;
using CatWrangler.Core.Options;
using CatWrangler.Core.Pipeline;
using CatWrangler.Core.Ports;
using CatWrangler.Detection.Onnx.Imaging;
using CatWrangler.Processor.Detection;
using CatWrangler.Processor.Local;
using CatWrangler.Slack;
using CatWrangler.Processor.Sqs;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CatWrangler.Processor;

/// <summary>Everything this host contributes, so `catscan serve` can compose it with the others in one process.</summary>
public static class ProcessorModule
{
    public static IServiceCollection AddProcessor(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddCatDetector(configuration);
        services.AddImageAnnotator(configuration);
        var sqs = SqsEventsEndpoint.IsEnabled(configuration);
        if (sqs)
        {
            services.AddValidatedOptions<AwsOptions>(configuration, AwsOptions.Section);
        }

        services.AddValidatedOptions<ProcessorOptions>(
            configuration, ProcessorOptions.Section, (sp, options) => sqs ? WithRedrive(options, sp.GetRequiredService<AwsOptions>()) : options);
        services.AddValidatedOptions<CallbackOptions>(configuration, CallbackOptions.Section);
        services.TryAddSingleton<CallbackUrlPolicy>();
        services.TryAddSingleton<AcceptActivity>();
        services.AddHttpCallbackTransport();
        services.AddUrlImageFetcher();
        services.TryAddSingleton<CallbackSender>();
        services.TryAddTransient<ScanProcessor>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IScanNotifier, CallbackNotifier>());
        services.AddSlackProcessing(configuration);

        var local = CatWranglerOptions.PlatformOf(configuration) == CatWranglerPlatform.Local;
        services.TryAddSingleton<CallbackDispatcher>();
        services.TryAddSingleton<WorkItemHandler>(sp =>
        {
            // Kinds another module owns (Slack's deferred answers and share lookups) go to its handler; the rest are the scan pipeline's.
            WorkItemHandler pipeline = (item, receiveCount, ct) =>
                sp.GetServices<IWorkKindHandler>().FirstOrDefault(h => h.Kind == item.Kind) is { } owner
                    ? owner.HandleAsync(item, receiveCount, ct)
                    : sp.GetRequiredService<ScanProcessor>().HandleAsync(item, receiveCount, ct);
            // Locally, deliveries leave the worker loops for their own pool. On SQS a job handed off would count receives
            // towards the dead-letter redrive, so there each batch delivers inline (bounded by the 10 s timeout).
            return local ? sp.GetRequiredService<CallbackDispatcher>().Wrap(pipeline) : pipeline;
        });
        if (local)
        {
            services.AddHostedService<LocalQueueWorker>();
            services.AddHostedService<RetentionSweepService>();
        }

        if (sqs)
        {
            services.AddSqsEvents(configuration);
        }

        return services;
    }

    /// <summary>
    /// On SQS <see cref="ProcessorOptions.MaxAttempts"/> is the queue's redrive <see cref="AwsOptions.MaxReceiveCount"/>, so
    /// the scan is failed on exactly the receive after which SQS dead-letters the message (fewer would dead-letter scans
    /// still retrying, more would never fail them).
    /// </summary>
    private static ProcessorOptions WithRedrive(ProcessorOptions options, AwsOptions aws) => options with { MaxAttempts = aws.MaxReceiveCount };

    public static IEndpointRouteBuilder MapProcessor(this IEndpointRouteBuilder endpoints)
    {
        var configuration = endpoints.ServiceProvider.GetRequiredService<IConfiguration>();
        if (SqsEventsEndpoint.IsEnabled(configuration))
        {
            endpoints.MapSqsEvents();
        }

        return endpoints;
    }
}
