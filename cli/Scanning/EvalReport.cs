using System.Globalization;
using System.Text;

namespace CatWrangler.Cli.Scanning;

/// <summary>Accuracy figures for cat (positive) vs nocat (negative); bigcat rows are counted apart.</summary>
internal sealed record EvalReport(
    double Threshold,
    int Positives,
    int Negatives,
    int TruePositives,
    int FalseNegatives,
    int FalsePositives,
    int TrueNegatives,
    double Auc,
    int BigCats,
    int BigCatsFlagged,
    IReadOnlyList<EvalItem> Misclassified,
    IReadOnlyList<EvalItem> Unclassified)
{
    public double Accuracy => (double)(TruePositives + TrueNegatives) / Math.Max(1, Positives + Negatives);

    public double Recall => (double)TruePositives / Math.Max(1, Positives);

    public double FalsePositiveRate => (double)FalsePositives / Math.Max(1, Negatives);

    public double Precision => (double)TruePositives / Math.Max(1, TruePositives + FalsePositives);

    public static EvalReport Compute(IReadOnlyList<EvalItem> items, double threshold)
    {
        // An image that could not be classified counts as answered "no".
        static double ScoreOf(EvalItem i) => i.Score ?? 0;
        var pos = items.Where(i => i.Label == "cat").ToList();
        var neg = items.Where(i => i.Label == "nocat").ToList();
        var big = items.Where(i => i.Label == "bigcat").ToList();
        var tp = pos.Count(i => ScoreOf(i) >= threshold);
        var fp = neg.Count(i => ScoreOf(i) >= threshold);
        var misclassified = pos.Where(i => ScoreOf(i) < threshold).Concat(neg.Where(i => ScoreOf(i) >= threshold))
            .OrderBy(i => i.Label).ThenBy(i => ScoreOf(i)).ToList();
        return new EvalReport(
            threshold, pos.Count, neg.Count, tp, pos.Count - tp, fp, neg.Count - fp,
            AreaUnderCurve(pos.Select(ScoreOf).ToList(), neg.Select(ScoreOf).ToList()),
            big.Count, big.Count(i => ScoreOf(i) >= threshold), misclassified, items.Where(i => i.Score is null).ToList());
    }

    /// <summary>Area under the ROC curve: the chance a random cat scores above a random non-cat (ties count half).</summary>
    public static double AreaUnderCurve(IReadOnlyList<double> positives, IReadOnlyList<double> negatives)
    {
        if (positives.Count == 0 || negatives.Count == 0)
        {
            return double.NaN;
        }

        double wins = 0;
        foreach (var p in positives)
        {
            foreach (var n in negatives)
            {
                wins += p > n ? 1 : p == n ? 0.5 : 0;
            }
        }

        return wins / positives.Count / negatives.Count;
    }

    public string Format()
    {
        var ci = CultureInfo.InvariantCulture;
        var s = new StringBuilder();
        s.AppendLine(ci, $"threshold      {Threshold:0.000}");
        s.AppendLine(ci, $"images         {Positives} cat, {Negatives} nocat, {BigCats} bigcat");
        s.AppendLine(ci, $"AUC            {Auc:0.0000}");
        s.AppendLine(ci, $"accuracy       {Accuracy:P1}  ({TruePositives + TrueNegatives}/{Positives + Negatives})");
        s.AppendLine(ci, $"cat recall     {Recall:P1}  ({TruePositives}/{Positives})");
        s.AppendLine(ci, $"false pos rate {FalsePositiveRate:P1}  ({FalsePositives}/{Negatives})");
        s.AppendLine(ci, $"precision      {Precision:P1}");
        s.AppendLine(ci, $"confusion      TP {TruePositives}  FN {FalseNegatives}  FP {FalsePositives}  TN {TrueNegatives}");
        s.AppendLine(ci, $"bigcat flagged {BigCatsFlagged}/{BigCats} (neither positive nor negative)");
        s.AppendLine(ci, $"misclassified  {Misclassified.Count}");
        foreach (var m in Misclassified)
        {
            var kind = m.Label == "cat" ? "missed cat " : "false alarm";
            s.AppendLine(ci, $"  {kind}  {m.File}  score {m.Score?.ToString("0.000", ci) ?? "n/a"}  top {m.TopLabel ?? "n/a"}");
        }

        if (Unclassified.Count > 0)
        {
            s.AppendLine(ci, $"unclassified   {Unclassified.Count}: {string.Join(", ", Unclassified.Select(u => u.File))}");
        }

        return s.ToString();
    }
}
