namespace CatWrangler.Core.Buffers;

/// <summary>What <see cref="BoundedBodyReader"/> made of a stream.</summary>
public abstract record BoundedRead
{
    private BoundedRead() { }

    /// <summary>The whole body, within the limit. The owner disposes it.</summary>
    public sealed record Complete(PooledBody Body) : BoundedRead;

    /// <summary>More bytes than the limit; reading stopped at the first byte over it.</summary>
    public sealed record TooLarge : BoundedRead;

    /// <summary>The caller's memory budget refused the next segment; reading stopped.</summary>
    public sealed record OverBudget : BoundedRead;
}
