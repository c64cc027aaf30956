
namespace CatWrangler.Core.Scans;

public sealed record ImageView(string Sha256, string ContentType, long Bytes, int Width, int Height);
