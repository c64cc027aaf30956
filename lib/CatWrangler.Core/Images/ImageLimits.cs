using System.ComponentModel.DataAnnotations;

namespace CatWrangler.Core.Images;

/// <summary>Configurable limits (configuration section <c>CatWrangler:Limits</c>).</summary>
public sealed record ImageLimits
{
    public const string Section = "CatWrangler:Limits";
    [Range(typeof(long), "1", "9223372036854775807")]
    public long MaxBytes { get; init; } = 20L * 1024 * 1024;
    [Range(typeof(long), "1", "9223372036854775807")]
    public long MaxPixels { get; init; } = 50_000_000;

    /// <summary>
    /// Most memory one decode may need (pixel buffers plus a progressive JPEG's coefficients). Large images are decoded at the
    /// scale the model needs, so this only refuses progressive JPEGs above about 22 MP (4:2:0) and full-size decodes of huge images.
    /// </summary>
    [Range(typeof(long), "1", "9223372036854775807")]
    public long MaxDecodeBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Memory all decodes in the process may hold at once; a decode that does not fit waits for others to finish.</summary>
    [Range(typeof(long), "1", "9223372036854775807")]
    public long DecodeBudgetBytes { get; init; } = 128L * 1024 * 1024;
}
