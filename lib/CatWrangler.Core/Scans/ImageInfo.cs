namespace CatWrangler.Core.Scans;

/// <summary>The stored image: content-addressed by SHA-256.</summary>
public sealed record ImageInfo(string Sha256, string ContentType, long Bytes, int Width, int Height, string StorageKey);
