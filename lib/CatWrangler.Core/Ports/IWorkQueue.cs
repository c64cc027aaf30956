namespace CatWrangler.Core.Ports;

/// <summary>Port: durable at-least-once work. Consumption is transport-specific (local leases, SQS batches).</summary>
public interface IWorkQueue
{
    /// <summary>Durable when the task completes. <paramref name="delay"/> postpones visibility.</summary>
    Task EnqueueAsync(WorkItem item, TimeSpan delay, CancellationToken cancellationToken);
}
