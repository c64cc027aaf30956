namespace CatWrangler.Core.Ports;

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
