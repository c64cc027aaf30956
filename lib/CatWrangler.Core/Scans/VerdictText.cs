using System.Globalization;

namespace CatWrangler.Core.Scans;

/// <summary>
/// The one way a verdict is written for people (<c>catscan scan</c>, <c>submit</c>, <c>status</c>, Slack): "Yes (cat 0.44)",
/// "No (top: dog 0.81)". The cat score shown is always the one that decided (the mean over the extra views when the
/// detector took them), never the first view's.
/// </summary>
public static class VerdictText
{
    public const int SeenLabels = 3;

    /// <summary>"Yes (cat 0.44)" or "No (top: dog 0.81)".</summary>
    public static string Summary(Verdict verdict)
        => verdict.IsCat
            ? $"Yes (cat {Score(verdict.Confidence)})"
            : $"No (top: {Label(Labels(verdict)[0])})";

    /// <summary>What was seen instead of a cat: "dog 0.81, couch 0.33" (at most <see cref="SeenLabels"/> labels).</summary>
    public static string Seen(Verdict verdict)
    {
        var seen = Labels(verdict).Where(l => !IsCat(l.Label)).Take(SeenLabels).ToList();
        return seen.Count == 0 ? $"nothing recognised (cat {Score(verdict.Confidence)})" : string.Join(", ", seen.Select(Label));
    }

    /// <summary>
    /// The verdict's top labels, highest first, with the cat label's score replaced by the deciding confidence (and
    /// added when the detector did not list it), so no line shows a cat score that contradicts the answer.
    /// </summary>
    public static IReadOnlyList<LabelScore> Labels(Verdict verdict)
    {
        var others = verdict.TopLabels.Where(l => !IsCat(l.Label));
        return [.. others.Append(new LabelScore("cat", verdict.Confidence)).OrderByDescending(l => l.Score)];
    }

    public static string Score(double score) => score.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Label(LabelScore label) => $"{label.Label} {Score(label.Score)}";

    private static bool IsCat(string label) => label.Equals("cat", StringComparison.OrdinalIgnoreCase);
}
