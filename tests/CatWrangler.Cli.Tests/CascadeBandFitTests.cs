using CatWrangler.Cli.Scanning;
using Xunit;

namespace CatWrangler.Cli.Tests;

public sealed class CascadeBandFitTests
{
    private const double Threshold = 0.175;

    [Fact]
    public void Fit_settles_as_many_images_early_as_it_can_without_changing_an_answer()
    {
        CascadeSample[] samples =
        [
            // Clear cases: the first look agrees with the full path.
            new("a", true, 0.80, 0.90), new("b", true, 0.50, 0.60), new("c", false, 0.01, 0.00), new("d", false, 0.03, 0.02),

            // A cat the first look underrates (0.10) but the full path finds: the low band must stay at or below 0.10.
            new("e", true, 0.10, 0.30),

            // A dog the first look overrates (0.45) but the full path clears: the high band must stay at or above 0.45.
            new("f", false, 0.45, 0.05),
        ];

        var bands = CascadeBandFit.Fit(samples, Threshold);

        // Of the bands that escalate only e and f, the widest: low just above d's 0.03, high just below b's 0.50.
        Assert.Equal(0.04, bands.Low);
        Assert.Equal(0.49, bands.High);
        Assert.All(samples, s => Assert.Equal(s.Full >= Threshold, bands.Decide(s, Threshold)));
        Assert.Equal(["e", "f"], samples.Where(bands.Escalates).Select(s => s.File));
    }

    [Fact]
    public void Cross_validation_scores_each_fold_with_bands_fitted_without_it()
    {
        // Only "e" (in fold 1 of 2 by name order: a, c, e) needs a low band at or below 0.10; fitted without it, fold 1 pays.
        CascadeSample[] samples =
        [
            new("a", true, 0.80, 0.90), new("b", true, 0.50, 0.60), new("c", false, 0.01, 0.00), new("d", false, 0.16, 0.02),
            new("e", true, 0.10, 0.30), new("f", false, 0.02, 0.01),
        ];

        var folds = CascadeBandFit.CrossValidate(samples, Threshold, 2);

        Assert.Equal(2, folds.Count);
        Assert.Equal(3, folds[0].Count);
        Assert.True(folds[0].Bands.Low > 0.10);
        Assert.Equal(1, folds[0].CascadeErrors);
        Assert.Equal(0, folds[0].FullErrors);
        Assert.Equal(0, folds[1].CascadeErrors);
    }
}
