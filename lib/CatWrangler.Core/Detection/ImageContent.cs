using CatWrangler.Core.Images;
using CatWrangler.Core.Scans;

namespace CatWrangler.Core.Detection;

/// <summary>Input of a detector: the stored bytes plus what validation learnt about them.</summary>
public sealed record ImageContent(ReadOnlyMemory<byte> Bytes, ImageFormat Format, int Width, int Height, string? StorageKey = null);
