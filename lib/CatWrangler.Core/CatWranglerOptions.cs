namespace CatWrangler.Core;

/// <summary>Root options (section <c>CatWrangler</c>). Sub-areas bind their own sections.</summary>
public sealed record CatWranglerOptions
{
    public const string Section = "CatWrangler";

    /// <summary><c>Local</c> (default: files, SQLite, ONNX) or <c>Aws</c>; bound case-insensitively.</summary>
    public CatWranglerPlatform Platform { get; init; } = CatWranglerPlatform.Local;

    /// <summary>Embedded data folder.</summary>
    public string DataPath { get; init; } = "./data";

    /// <summary>How long scans and images are kept.</summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromDays(30);

    /// <summary>
    /// Free space the file system of <see cref="DataPath"/> must keep (embedded default only): below it <c>/healthz</c>
    /// answers <c>503</c>, so a load balancer or supervisor sees the problem before uploads start failing with <c>507</c>.
    /// </summary>
    public long MinFreeDiskBytes { get; init; } = 256L * 1024 * 1024;
}
