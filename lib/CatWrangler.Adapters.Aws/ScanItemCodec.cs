using System.Text;
using System.Text.Json;
using CatWrangler.Core.Json;
using CatWrangler.Core.Scans;

namespace CatWrangler.Adapters.Aws;

/// <summary>
/// The scan as stored in one DynamoDB item: the canonical JSON, with debug data cut down so that no item comes near
/// DynamoDB's 400 KB item limit (debug data is diagnostic; the verdict, source and error are never dropped).
/// </summary>
public static class ScanItemCodec
{
    /// <summary>Budget for the JSON attribute; the remaining attributes of a scan item are a few hundred bytes.</summary>
    public const int MaxJsonBytes = 300 * 1024;

    private const int MaxListEntries = 20;

    public static string Serialize(Scan scan)
    {
        var json = JsonSerializer.Serialize(scan, CatWranglerJson.Options.TypeInfo<Scan>());
        if (Encoding.UTF8.GetByteCount(json) <= MaxJsonBytes)
        {
            return json;
        }

        var capped = scan with
        {
            Debug = scan.Debug with
            {
                DetectorRaw = scan.Debug.DetectorRaw is null ? null : "[dropped: item size limit]",
                RawTopScores = [.. scan.Debug.RawTopScores.Take(MaxListEntries)],
                AttemptLog = [.. scan.Debug.AttemptLog.TakeLast(MaxListEntries)],
                TimingsMs = scan.Debug.TimingsMs.Count > MaxListEntries
                    ? scan.Debug.TimingsMs.Take(MaxListEntries).ToDictionary()
                    : scan.Debug.TimingsMs,
            },
            Deliveries = [.. scan.Deliveries.TakeLast(MaxListEntries)],
        };
        json = JsonSerializer.Serialize(capped, CatWranglerJson.Options.TypeInfo<Scan>());
        if (Encoding.UTF8.GetByteCount(json) <= MaxJsonBytes)
        {
            return json;
        }

        // Only oversized free text (error messages, labels) can get here: keep the scan, drop all diagnostics.
        capped = capped with
        {
            Debug = new ScanDebug { DetectorRaw = "[dropped: item size limit]" },
            Error = capped.Error is null ? null : capped.Error with { Message = Truncate(capped.Error.Message, 4096) },
            Verdict = capped.Verdict is null ? null : capped.Verdict with { TopLabels = [.. capped.Verdict.TopLabels.Take(MaxListEntries)], Boxes = [.. capped.Verdict.Boxes.Take(100)] },
        };
        return JsonSerializer.Serialize(capped, CatWranglerJson.Options.TypeInfo<Scan>());
    }

    public static Scan Deserialize(string json)
        => JsonSerializer.Deserialize(json, CatWranglerJson.Options.TypeInfo<Scan>()) ?? throw new InvalidDataException("Stored scan is JSON null.");

    private static string Truncate(string text, int chars)
        => text.Length <= chars ? text : string.Concat(text.AsSpan(0, chars), "…[truncated]");
}
