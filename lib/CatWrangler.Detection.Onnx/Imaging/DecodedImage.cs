using System.Buffers;

namespace CatWrangler.Detection.Onnx.Imaging;

/// <summary>
/// Interleaved 8-bit RGB pixels, orientation already applied. The buffer is rented from the shared pool
/// (images are decoded per request, so reuse keeps the large-object heap quiet); dispose to return it.
/// </summary>
public sealed class DecodedImage : IDisposable
{
    private readonly bool pooled;
    private byte[]? buffer;

    internal DecodedImage(byte[] buffer, int width, int height, int encodedWidth, int encodedHeight, bool pooled = true)
    {
        this.buffer = buffer;
        this.pooled = pooled;
        Width = width;
        Height = height;
        EncodedWidth = encodedWidth;
        EncodedHeight = encodedHeight;
    }

    /// <summary>Width of <see cref="Rgb"/> (after orientation and any scaled decode).</summary>
    public int Width { get; }

    public int Height { get; }

    /// <summary>Width of the original image after orientation: boxes are reported in this coordinate space.</summary>
    public int EncodedWidth { get; }

    public int EncodedHeight { get; }

    public ReadOnlySpan<byte> Rgb => (buffer ?? throw new ObjectDisposedException(nameof(DecodedImage))).AsSpan(0, Width * Height * 3);

    /// <summary>Wraps caller-owned pixels (tests, benchmarks); the array is not returned to the pool.</summary>
    public static DecodedImage FromRgb(byte[] rgb, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rgb.Length, width * height * 3, nameof(rgb));
        return new DecodedImage(rgb, width, height, width, height, pooled: false);
    }

    public void Dispose()
    {
        var b = Interlocked.Exchange(ref buffer, null);
        if (b is not null && pooled)
        {
            ArrayPool<byte>.Shared.Return(b);
        }
    }
}
