using CatWrangler.Core.Scans;

namespace CatWrangler.Core.Tests.Scans;

public sealed class ScanDebugTests
{
    [Fact]
    public void A_raw_response_above_the_cap_is_cut_and_marked()
    {
        var debug = new ScanDebug { DetectorRaw = new string('x', 1_000_000) };

        Assert.Equal(ScanDebug.MaxDetectorRawChars + ScanDebug.TruncatedMarker.Length, debug.DetectorRaw!.Length);
        Assert.EndsWith(ScanDebug.TruncatedMarker, debug.DetectorRaw, StringComparison.Ordinal);
    }

    [Fact]
    public void A_raw_response_at_the_cap_is_kept_whole()
    {
        var raw = new string('x', ScanDebug.MaxDetectorRawChars);

        Assert.Same(raw, new ScanDebug { DetectorRaw = raw }.DetectorRaw);
    }

    [Fact]
    public void The_cap_holds_for_a_copy_made_with_with()
    {
        var debug = new ScanDebug() with { DetectorRaw = new string('x', 40_000) };

        Assert.Equal(ScanDebug.MaxDetectorRawChars + ScanDebug.TruncatedMarker.Length, debug.DetectorRaw!.Length);
    }
}
