using CatWrangler.Core.Scans;

namespace CatWrangler.Core.Ports;

public sealed record FetchedImage(byte[] Bytes, string? DeclaredContentType);
