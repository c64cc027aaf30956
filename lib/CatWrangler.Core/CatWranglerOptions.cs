using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace CatWrangler.Core;

/// <summary>Root options (section <c>CatWrangler</c>). Sub-areas bind their own sections.</summary>
public sealed record CatWranglerOptions
{
    public const string Section = "CatWrangler";

    /// <summary><c>Local</c> (default: files, SQLite, ONNX) or <c>Aws</c>; bound case-insensitively.</summary>
    [EnumDataType(typeof(CatWranglerPlatform))]
    public CatWranglerPlatform Platform { get; init; } = CatWranglerPlatform.Local;

    /// <summary>Embedded data folder.</summary>
    [Required]
    public string DataPath { get; init; } = "./data";

    /// <summary>How long scans and images are kept.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "3650.00:00:00")]
    public TimeSpan Retention { get; init; } = TimeSpan.FromDays(30);

    /// <summary>
    /// Free space the file system of <see cref="DataPath"/> must keep (embedded default only): below it <c>/healthz</c>
    /// answers <c>503</c>, so a load balancer or supervisor sees the problem before uploads start failing with <c>507</c>.
    /// </summary>
    [Range(typeof(long), "0", "9223372036854775807")]
    public long MinFreeDiskBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>
    /// The configured platform, the one reading of <c>CatWrangler:Platform</c> for decisions made before the container
    /// exists (which adapters to register, whether SSM is a configuration source). A value that is not a
    /// <see cref="CatWranglerPlatform"/> fails here, naming the key.
    /// </summary>
    public static CatWranglerPlatform PlatformOf(IConfiguration configuration)
        => configuration.GetSection(Section).GetValue(nameof(Platform), CatWranglerPlatform.Local);
}
