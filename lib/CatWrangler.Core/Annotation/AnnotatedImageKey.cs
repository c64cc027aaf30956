namespace CatWrangler.Core.Annotation;

/// <summary>
/// Where a scan's annotated picture lives in the image store: derived from the scan id (not content-addressed, since the
/// picture depends on the verdict), beside the images so the same retention removes it.
/// </summary>
public static class AnnotatedImageKey
{
    public const string Prefix = "annotated/";

    public const string ContentType = "image/png";

    /// <exception cref="ArgumentException">The id is not a scan id (a GUID); keeps any other text out of store paths.</exception>
    public static string For(string scanId)
    {
        if (!Guid.TryParseExact(scanId, "D", out var id))
        {
            throw new ArgumentException("Expected a scan id.", nameof(scanId));
        }

        return $"{Prefix}{id:D}.png";
    }
}
