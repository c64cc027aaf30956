using CatWrangler.Core.Scans;

namespace CatWrangler.Core.Pipeline;

/// <summary>The callback body.</summary>
public sealed record CallbackPayload(string Type, DateTimeOffset Timestamp, ScanView Data);
