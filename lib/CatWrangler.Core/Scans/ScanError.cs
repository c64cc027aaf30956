namespace CatWrangler.Core.Scans;

/// <summary>A machine-readable code and a sentence a user can read.</summary>
public sealed record ScanError(string Code, string Message);
