using System.Globalization;
using System.Text;
using CatWrangler.Core.Scans;

namespace CatWrangler.Slack.Processing;

/// <summary>Every text the bot writes into Slack, in one place so replies stay consistent.</summary>
public static class SlackMessages
{
    /// <summary>⏳ while a scan is queued or running.</summary>
    public const string PendingReaction = "hourglass_flowing_sand";

    /// <summary>🐱 when a cat was found.</summary>
    public const string CatReaction = "cat";

    /// <summary>❌ when no cat was found.</summary>
    public const string NoCatReaction = "x";

    /// <summary>⚠️ when the image could not be checked.</summary>
    public const string FailedReaction = "warning";

    public static string Reaction(Scan scan) => scan switch
    {
        { Status: ScanStatus.Done, Verdict.IsCat: true } => CatReaction,
        { Status: ScanStatus.Done } => NoCatReaction,
        _ => FailedReaction,
    };

    public static string CompletedReply(Scan scan)
    {
        var name = FileName(scan);
        if (scan is { Status: ScanStatus.Done, Verdict: { } verdict })
        {
            return verdict.IsCat
                ? $"*{VerdictText.Summary(verdict)}*: there is a cat in {name}. Scan `{scan.Id}`"
                : $"*No cat*: {VerdictText.Seen(verdict)} in {name}. Scan `{scan.Id}`";
        }

        var reason = scan.Error?.Message ?? "something went wrong while checking it.";
        return $"Sorry, I couldn't check {name}: {reason} Scan `{scan.Id}`";
    }

    /// <summary>Alt text of the annotated picture, for screen readers.</summary>
    public static string PictureAltText(Scan scan)
        => $"{FileName(scan).Trim('*')} with {scan.Verdict?.Boxes.Count ?? 0} cat box(es) drawn: {string.Join(", ", scan.Verdict?.Boxes.Select(b => "cat " + VerdictText.Score(b.Score)) ?? [])}";

    public static string FileName(Scan scan) => scan.Source.Slack?.FileName is { Length: > 0 } n ? $"*{n}*" : "this file";

    public static string Summary(Scan scan) => scan.Status switch
    {
        ScanStatus.Done when scan.Verdict is { } v => VerdictText.Summary(v),
        ScanStatus.Failed => $"failed: {scan.Error?.Message ?? "unknown error"}",
        ScanStatus.Processing => "checking…",
        _ => "queued",
    };

    public static string StatusLine(Scan scan)
        => $"• `{scan.Id}` {FileName(scan)}: {Summary(scan)}, {Time(scan.ReceivedAt)}";

    public static string Debug(Scan scan)
    {
        var text = new StringBuilder();
        text.AppendLine($"*Scan* `{scan.Id}`: {scan.Status.ToString().ToLowerInvariant()}, {Summary(scan)}");
        text.AppendLine($"Received {Time(scan.ReceivedAt)}, started {Time(scan.StartedAt)}, completed {Time(scan.CompletedAt)}");
        if (scan.Image is { } image)
        {
            text.AppendLine($"Image: {image.ContentType}, {image.Width}×{image.Height}, {image.Bytes:N0} bytes, sha256 {image.Sha256[..Math.Min(12, image.Sha256.Length)]}…");
        }

        if (scan.Verdict is { } verdict)
        {
            text.AppendLine($"Detector: {verdict.DetectorId} {verdict.ModelVersion}, threshold {verdict.Threshold.ToString("0.###", CultureInfo.InvariantCulture)}");
            text.AppendLine($"Top labels: {Scores(verdict.TopLabels)}");
            text.AppendLine($"Cat boxes: {verdict.Boxes.Count}");
        }

        var debug = scan.Debug;
        if (debug.TimingsMs.Count > 0)
        {
            text.AppendLine("Timings: " + string.Join(", ", debug.TimingsMs.Select(t => $"{t.Key} {t.Value.ToString("0.#", CultureInfo.InvariantCulture)} ms")));
        }

        if (debug.ModelInput is { } input)
        {
            text.AppendLine($"Model input: {input}");
        }

        if (debug.RawTopScores.Count > 0)
        {
            text.AppendLine($"Raw top scores: {Scores(debug.RawTopScores)}");
        }

        text.AppendLine($"Attempts: {scan.Attempts}");
        foreach (var attempt in debug.AttemptLog)
        {
            text.AppendLine($"  #{attempt.Attempt} {Time(attempt.StartedAt)}: {attempt.Outcome}{(attempt.Error is { } e ? $" ({e})" : "")}");
        }

        if (scan.Error is { } error)
        {
            text.AppendLine($"Error: {error.Code}: {error.Message}");
        }

        return text.ToString().TrimEnd();
    }

    private static string Scores(IReadOnlyList<LabelScore> scores)
        => scores.Count == 0 ? "none" : string.Join(", ", scores.Select(s => $"{s.Label} {s.Score.ToString("0.000", CultureInfo.InvariantCulture)}"));

    private static string Time(DateTimeOffset? at)
        => at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : "–";
}
