using System.ComponentModel.DataAnnotations;

namespace CatWrangler.Adapters.Local;

/// <summary>Section <c>CatWrangler:RetentionSweep</c>: how the embedded default deletes data past its <c>expiresAt</c>.</summary>
public sealed record RetentionSweepOptions
{
    public const string Section = "CatWrangler:RetentionSweep";

    /// <summary>Time between sweeps (the first runs at start). DynamoDB TTL on AWS deletes within days; this is tighter.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "3650.00:00:00")]
    public TimeSpan Interval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Rows deleted per write, so uploads waiting for the one SQLite writer are never held up for long.</summary>
    [Range(1, int.MaxValue)]
    public int BatchSize { get; init; } = 100;

    /// <summary>An image stored (or stored again) more recently than this is kept: its scan may not be written yet.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00")]
    public TimeSpan ImageGrace { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Image folders (of <see cref="FileImageStore.ShardCount"/>) searched per sweep for images no scan references (their
    /// scan was never written, e.g. a crash between storing and accepting). 16 walks every folder once in 16 intervals.
    /// </summary>
    [Range(0, int.MaxValue)]
    public int OrphanShardsPerSweep { get; init; } = 16;
}
