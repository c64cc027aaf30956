using System.Globalization;
using System.Text;

namespace CatWrangler.Cli.Scanning;

/// <summary>
/// Chooses the cascade's first-look bands: the widest early decision (most images settled by the first look) that gives the
/// same answer as the full path on every fitting image. Agreement, not the error count, is the criterion: a band allowed to
/// trade one mistake for another would be tuned to single images. k-fold cross-validation reports how the choice does on
/// images it was not fitted on.
/// </summary>
internal static class CascadeBandFit
{
    /// <summary>Candidate band edges: a grid fine enough for the score spread of the public set, coarse enough not to chase single images.</summary>
    private static readonly double[] Grid = [.. Enumerable.Range(0, 101).Select(i => Math.Round(i * 0.01, 2))];

    public static CascadeBands Fit(IReadOnlyList<CascadeSample> samples, double threshold)
    {
        var best = new CascadeBands(0, 1);
        var bestEscalated = samples.Count;
        foreach (var low in Grid.Where(g => g <= threshold))
        {
            foreach (var high in Grid.Where(g => g >= threshold).Reverse())
            {
                var bands = new CascadeBands(low, high);
                var disagreements = samples.Count(s => bands.Decide(s, threshold) != s.Full >= threshold);
                var escalated = samples.Count(bands.Escalates);

                // Ties go to the first found, the narrower early decision (lower low, higher high): the safer side for images not seen here.
                if (disagreements == 0 && escalated < bestEscalated)
                {
                    best = bands;
                    bestEscalated = escalated;
                }
            }
        }

        return best;
    }

    /// <summary>Folds by position in file-name order (i mod k), so each fold holds cats and non-cats alike.</summary>
    public static List<CascadeFold> CrossValidate(IReadOnlyList<CascadeSample> samples, double threshold, int folds)
    {
        var ordered = samples.OrderBy(s => s.File, StringComparer.Ordinal).ToList();
        var results = new List<CascadeFold>();
        for (var k = 0; k < folds; k++)
        {
            var fit = ordered.Where((_, i) => i % folds != k).ToList();
            var held = ordered.Where((_, i) => i % folds == k).ToList();
            var bands = Fit(fit, threshold);
            results.Add(new CascadeFold(
                k + 1,
                bands,
                held.Count,
                held.Count(s => bands.Decide(s, threshold) != s.IsCat),
                held.Count(s => (s.Full >= threshold) != s.IsCat),
                held.Count(bands.Escalates)));
        }

        return results;
    }

    public static string Report(IReadOnlyList<CascadeSample> samples, double threshold, int folds)
    {
        var all = Fit(samples, threshold);
        var cv = CrossValidate(samples, threshold, folds);
        var n = samples.Count;
        var text = new StringBuilder();
        var fullErrors = samples.Count(s => (s.Full >= threshold) != s.IsCat);
        var fitErrors = samples.Count(s => all.Decide(s, threshold) != s.IsCat);
        text.AppendLine(CultureInfo.InvariantCulture, $"cascade bands  low {all.Low:0.00}, high {all.High:0.00} (fitted on all {n} labelled cat/nocat images, threshold {threshold})");
        text.AppendLine(CultureInfo.InvariantCulture, $"fit            accuracy {Percent(n - fitErrors, n)} with the cascade, {Percent(n - fullErrors, n)} full path alone; {samples.Count(all.Escalates)}/{n} escalated");
        text.AppendLine(CultureInfo.InvariantCulture, $"{folds}-fold cross-validation (bands fitted on the other folds, scored on the held-out one):");
        text.AppendLine("  fold  low   high  images  errors cascade / full path  escalated");
        foreach (var f in cv)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {f.Fold,4}  {f.Bands.Low:0.00}  {f.Bands.High:0.00}  {f.Count,6}  {f.CascadeErrors,7} / {f.FullErrors,-9}  {f.Escalated,9}");
        }

        // The images that hold the bands where they are: full-path cats the first look rates lowest, full-path non-cats it rates highest.
        var yes = samples.Where(s => s.Full >= threshold).OrderBy(s => s.FirstLook).Take(3).Select(s => $"{Path.GetFileName(s.File)} {s.FirstLook:0.000}");
        var no = samples.Where(s => s.Full < threshold).OrderByDescending(s => s.FirstLook).Take(3).Select(s => $"{Path.GetFileName(s.File)} {s.FirstLook:0.000}");
        text.AppendLine(CultureInfo.InvariantCulture, $"binding        lowest first look among full-path cats: {string.Join(", ", yes)}; highest among full-path non-cats: {string.Join(", ", no)}");
        var cvErrors = cv.Sum(f => f.CascadeErrors);
        var cvFull = cv.Sum(f => f.FullErrors);
        text.AppendLine(CultureInfo.InvariantCulture, $"held-out       accuracy {Percent(n - cvErrors, n)} with the cascade, {Percent(n - cvFull, n)} full path alone; {cv.Sum(f => f.Escalated)}/{n} escalated");
        return text.ToString();
    }

    private static string Percent(int ok, int n) => string.Create(CultureInfo.InvariantCulture, $"{100.0 * ok / Math.Max(1, n):0.0} % ({ok}/{n})");
}
