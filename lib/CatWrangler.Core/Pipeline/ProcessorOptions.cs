using System.ComponentModel.DataAnnotations;

namespace CatWrangler.Core.Pipeline;

/// <summary>Section <c>CatWrangler:Processor</c>.</summary>
public sealed record ProcessorOptions
{
    public const string Section = "CatWrangler:Processor";

    /// <summary>Jobs handled at once by the local worker.</summary>
    [Range(1, int.MaxValue)]
    public int Concurrency { get; init; } = 2;

    /// <summary>
    /// Jobs started at once while the accept path in the same process is busy (see <see cref="AcceptActivity"/>): the rest of
    /// the cores answer uploads. At least 1, so a steady stream of uploads never stops classification.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int ConcurrencyWhileAccepting { get; init; } = 1;

    /// <summary>Processing attempts before a scan is failed for good (dead letter).</summary>
    [Range(1, int.MaxValue)]
    public int MaxAttempts { get; init; } = 5;

    /// <summary>First retry delay; doubles per attempt up to <see cref="MaxRetryDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00")]
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    [Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00")]
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How often an idle local worker loop looks for jobs that became visible (retries, delayed callbacks); new jobs wake it at once.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "3650.00:00:00")]
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How long a job (a local job row, an in-flight SQS message) stays invisible after each heartbeat. Short, so work
    /// orphaned by a crash is taken again within this time; a job that runs longer keeps its lease through
    /// <see cref="HeartbeatInterval"/> renewals.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "3650.00:00:00")]
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often a running job's lease is renewed; well under <see cref="LeaseDuration"/> so one late or failed renewal is
    /// harmless. Zero turns heartbeats off (a job then keeps its lease for <see cref="LeaseDuration"/> only; on SQS the
    /// queue's visibility timeout applies).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00")]
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Entries kept in a scan's attempt log.</summary>
    [Range(1, int.MaxValue)]
    public int MaxAttemptLog { get; init; } = 20;

    public TimeSpan BackoffFor(int attempt)
        => TimeSpan.FromTicks(Math.Min(MaxRetryDelay.Ticks, RetryDelay.Ticks * (1L << Math.Clamp(attempt - 1, 0, 20))));
}
