namespace CatWrangler.Adapters.Local;

/// <summary>What one retention sweep removed.</summary>
public sealed record RetentionSweepResult(int Scans, int Claims, int Images)
{
    public static readonly RetentionSweepResult None = new(0, 0, 0);

    public bool RemovedAnything => Scans + Claims + Images > 0;

    public RetentionSweepResult Plus(RetentionSweepResult other) => new(Scans + other.Scans, Claims + other.Claims, Images + other.Images);
}
