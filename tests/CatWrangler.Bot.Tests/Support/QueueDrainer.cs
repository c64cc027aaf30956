using CatWrangler.Core;
using CatWrangler.Core.Detection;
using CatWrangler.Core.Images;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;
using CatWrangler.Processor;
using CatWrangler.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CatWrangler.Bot.Tests.Support;

/// <summary>
/// The processor's services (as <see cref="ProcessorModule.AddProcessor"/> composes them) over the test's local store and
/// queue, without its background worker: <see cref="DrainAsync"/> runs every job until the queue is empty, so tests assert
/// on a settled state instead of waiting. The detector is a stand-in; the Slack side is the product's.
/// </summary>
internal sealed class QueueDrainer : IDisposable
{
    private const int MaxJobs = 100;
    private readonly ServiceProvider services;
    private readonly LocalPorts ports;

    public QueueDrainer(FakeSlack slack, LocalPorts ports)
    {
        this.ports = ports;
        var values = BotHost.SlackConfiguration(slack);
        values["CatWrangler:Processor:RetryDelay"] = "00:00:00";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var collection = new ServiceCollection();
        collection.AddLogging();
        collection.AddSingleton<IConfiguration>(configuration);
        collection.AddSingleton<ISecretStore>(new DictionarySecretStore(values));
        collection.AddSingleton<IScanStore>(ports.Store);
        collection.AddSingleton<IWorkQueue>(ports.Queue);
        collection.AddSingleton(ports.Queue);
        collection.AddSingleton<IImageStore>(ports.Images);
        collection.AddSingleton(new CatWranglerOptions());
        collection.AddSingleton(new ImageLimits());
        collection.AddSingleton<ImageValidator>();
        collection.AddSingleton(TimeProvider.System);
        collection.AddSingleton<ICatDetector>(new AlwaysCat());
        collection.AddProcessor(configuration);
        services = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = false });
    }

    /// <summary>Runs jobs until none is left (retries are made visible at once); returns the outcomes in order.</summary>
    public async Task<IReadOnlyList<(WorkItem Item, WorkOutcome Outcome)>> DrainAsync(CancellationToken cancellationToken)
    {
        var handler = services.GetRequiredService<WorkItemHandler>();
        var ran = new List<(WorkItem, WorkOutcome)>();
        while (await ports.Queue.LeaseAsync(TimeSpan.FromMinutes(1), cancellationToken) is { } job)
        {
            if (ran.Count == MaxJobs)
            {
                throw new InvalidOperationException($"The queue did not drain within {MaxJobs} jobs.");
            }

            var outcome = await handler(job.Item, job.ReceiveCount, cancellationToken);
            ran.Add((job.Item, outcome));
            switch (outcome)
            {
                case WorkOutcome.RetryLater:
                    await ports.Queue.RetryAsync(job, TimeSpan.Zero, cancellationToken);
                    break;
                case WorkOutcome.DeadLetter dead:
                    await ports.Queue.DeadLetterAsync(job, dead.Reason, cancellationToken);
                    break;
                default:
                    await ports.Queue.CompleteAsync(job, cancellationToken);
                    break;
            }
        }

        return ran;
    }

    public void Dispose() => services.Dispose();

    /// <summary>A detector that finds a cat in everything: these tests are about Slack, not about cats.</summary>
    private sealed class AlwaysCat : ICatDetector
    {
        public DetectorDescriptor Descriptor { get; } = new("test-always-cat", "1", 0.5);

        public Task<DetectionResult> DetectAsync(ImageContent image, CancellationToken cancellationToken)
            => Task.FromResult(new DetectionResult(
                new Verdict(true, 0.9, [], [new LabelScore("cat", 0.9)], Descriptor.Id, Descriptor.ModelVersion, Descriptor.Threshold),
                new DetectionDiagnostics()));
    }
}
