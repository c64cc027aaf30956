namespace CatWrangler.Core.Ports;

/// <summary>Port: durable at-least-once work. Consumption is transport-specific (local leases, SQS batches).</summary>
public interface IWorkQueue
{
    /// <summary>Durable when the task completes. <paramref name="delay"/> postpones visibility.</summary>
    Task EnqueueAsync(WorkItem item, TimeSpan delay, CancellationToken cancellationToken);
}

/// <summary>One unit of work for the processor.</summary>
/// <param name="ScanId">The scan the work is about (for <see cref="WorkKind.SlackCommand"/>: a fresh id naming the answer).</param>
/// <param name="Kind">What to do.</param>
/// <param name="DeliveryAttempt">For <see cref="WorkKind.Callback"/>: which delivery attempt this is (1-based).</param>
/// <param name="Payload">What a kind needs beyond a scan id (a deferred slash command's text and response URL), as JSON.</param>
public sealed record WorkItem(string ScanId, WorkKind Kind, int DeliveryAttempt = 0, string? Payload = null);

public enum WorkKind
{
    /// <summary>Ingest, classify, store the verdict, notify.</summary>
    Process,
    /// <summary>Deliver the signed outbound callback for a finished API scan.</summary>
    Callback,
    /// <summary>Answer a slow slash command through its <c>response_url</c> (the ack already said "working on it").</summary>
    SlackCommand,
    /// <summary>Find the message of a file seen only in a <c>file_shared</c> event (<c>files.info</c>), then queue its processing.</summary>
    SlackFileShared,
}

/// <summary>What the per-record handler decided; the transport maps it to delete / retry / dead-letter.</summary>
public abstract record WorkOutcome
{
    private WorkOutcome() { }

    public sealed record Completed : WorkOutcome;

    /// <summary>Transient failure: run again after <paramref name="Delay"/>.</summary>
    public sealed record RetryLater(TimeSpan Delay, string Reason) : WorkOutcome;

    /// <summary>
    /// The scan was failed for good (its attempts are used up); the transport parks the message for an operator
    /// (SQS: reported as failed so the redrive policy moves it to the dead-letter queue; local: the job row is kept dead).
    /// </summary>
    public sealed record DeadLetter(string Reason) : WorkOutcome;

    public static readonly WorkOutcome Done = new Completed();
}
