using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace CatWrangler.Core.Images;

/// <summary>The outcome of checking bytes that claim to be an image.</summary>
public abstract record ImageCheck
{
    private ImageCheck() { }

    public sealed record Accepted(ImageFormat Format, int Width, int Height) : ImageCheck;

    public sealed record Rejected(ImageRejection Reason, string Message) : ImageCheck;
}
