using System.Text.Json;
using CatWrangler.Core.Json;
using CatWrangler.Core.Scans;

namespace CatWrangler.Cli.Scanning;

/// <summary>How <c>catscan scan</c> prints one outcome: a plain line, or one JSON object per line.</summary>
internal static class ScanOutput
{
    public static string Text(FileOutcome outcome)
    {
        if (outcome.Result is not { } result)
        {
            return $"{outcome.File}: rejected ({outcome.ErrorCode}): {outcome.ErrorMessage}";
        }

        return $"{outcome.File}: {VerdictText.Summary(result.Verdict)}";
    }

    public static string Json(FileOutcome outcome)
    {
        if (outcome.Result is not { } result)
        {
            return JsonSerializer.Serialize(new JsonError(outcome.File, false, new ErrorBody(outcome.ErrorCode!, outcome.ErrorMessage!)), CatWranglerJson.Options);
        }

        var v = result.Verdict;
        return JsonSerializer.Serialize(
            new JsonVerdict(outcome.File, v.IsCat, v.Confidence, v.Threshold, v.TopLabels, v.Boxes, result.Diagnostics.TimingsMs, v.DetectorId, v.ModelVersion, result.Diagnostics.ModelInput),
            CatWranglerJson.Options);
    }

    private sealed record JsonVerdict(
        string File,
        bool IsCat,
        double Confidence,
        double Threshold,
        IReadOnlyList<LabelScore> Labels,
        IReadOnlyList<BoundingBox> Boxes,
        IReadOnlyDictionary<string, double> TimingsMs,
        string Detector,
        string ModelVersion,
        string? ModelInput);

    private sealed record JsonError(string File, bool Classified, ErrorBody Error);

    private sealed record ErrorBody(string Code, string Message);
}
