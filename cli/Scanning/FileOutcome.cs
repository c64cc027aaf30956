using CatWrangler.Core.Detection;
using CatWrangler.Core.Images;

namespace CatWrangler.Cli.Scanning;

/// <summary>One file's outcome: a detection, or why the file could not be classified.</summary>
internal sealed record FileOutcome(string File, DetectionResult? Result, string? ErrorCode, string? ErrorMessage)
{
    public bool Classified => Result is not null;
}
