using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using SkiaSharp;

namespace CatWrangler.TestSupport;

/// <summary>Small images and deliberately broken files, made in memory for tests.</summary>
public static class TestImages
{
    /// <summary>A real JPEG of the given size (a gradient, so it compresses like a photo would not, but decodes).</summary>
    public static byte[] Jpeg(int width = 64, int height = 48, int quality = 90) => Encode(width, height, SKEncodedImageFormat.Jpeg, quality);

    public static byte[] Png(int width = 64, int height = 48) => Encode(width, height, SKEncodedImageFormat.Png, 100);

    /// <summary>
    /// Inserts an APP1 Exif segment carrying only the Orientation tag right after the JPEG SOI marker
    /// (Skia's encoder writes no Exif).
    /// </summary>
    public static byte[] WithExifOrientation(byte[] jpeg, ushort orientation)
    {
        byte[] tiff =
        [
            (byte)'M', (byte)'M', 0, 42, 0, 0, 0, 8, // big-endian TIFF header, IFD0 at offset 8
            0, 1, // one entry
            0x01, 0x12, 0, 3, 0, 0, 0, 1, (byte)(orientation >> 8), (byte)orientation, 0, 0, // Orientation, SHORT, count 1
            0, 0, 0, 0, // no next IFD
        ];
        byte[] exifHeader = [(byte)'E', (byte)'x', (byte)'i', (byte)'f', 0, 0];
        var length = 2 + exifHeader.Length + tiff.Length;
        var segment = new List<byte> { 0xFF, 0xE1, (byte)(length >> 8), (byte)length };
        segment.AddRange(exifHeader);
        segment.AddRange(tiff);
        return [.. jpeg.AsSpan(0, 2), .. segment, .. jpeg.AsSpan(2)];
    }

    /// <summary>The first <paramref name="fraction"/> of a valid JPEG.</summary>
    public static byte[] TruncatedJpeg(double fraction = 0.6)
    {
        var jpeg = Jpeg(256, 192);
        return jpeg[..(int)(jpeg.Length * fraction)];
    }

    /// <summary>A valid PNG with one byte of its image data flipped, so the IDAT CRC fails.</summary>
    public static byte[] PngWithBadCrc()
    {
        var png = Png();
        var idat = IndexOf(png, "IDAT"u8) + 4;
        png[idat + 2] ^= 0xFF;
        return png;
    }

    /// <summary>A structurally valid PNG whose header claims <paramref name="width"/>×<paramref name="height"/> (a decompression bomb's header).</summary>
    public static byte[] PngWithHeader(uint width, uint height)
    {
        using var stream = new MemoryStream();
        stream.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8;   // bit depth
        ihdr[9] = 2;   // RGB
        WriteChunk(stream, "IHDR", ihdr);
        WriteChunk(stream, "IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]); // empty zlib stream
        WriteChunk(stream, "IEND", []);
        return stream.ToArray();
    }

    public static byte[] Gif() => Convert.FromBase64String("R0lGODlhAQABAIAAAAAAAP///ywAAAAAAQABAAACAUwAOw==");

    public static byte[] WebP() => Encode(16, 16, SKEncodedImageFormat.Webp, 80);

    public static byte[] Bmp()
    {
        var bmp = new byte[58];
        "BM"u8.CopyTo(bmp);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(2), bmp.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(18), 1);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(22), 1);
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(28), 24);
        return bmp;
    }

    public static byte[] Svg() => Encoding.UTF8.GetBytes("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\"/></svg>");

    public static byte[] Html() => Encoding.UTF8.GetBytes("<!DOCTYPE html><html><head><title>Sign in</title></head><body>Please sign in</body></html>");

    public static byte[] Text() => Encoding.UTF8.GetBytes("this is a text file renamed to .jpg\n");

    /// <summary>
    /// A JPEG whose frame header claims <paramref name="width"/>×<paramref name="height"/> while its scan data, ending in a
    /// proper end-of-image marker, is that of a 16×16 image: a file far shorter than its header promises.
    /// </summary>
    public static byte[] JpegWithLyingHeader(ushort width, ushort height)
    {
        var jpeg = Jpeg(16, 16);
        var sof = IndexOf(jpeg, [0xFF, 0xC0]);
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(sof + 5), height);
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(sof + 7), width);
        return jpeg;
    }

    /// <summary>Pixel colour of <see cref="BandedPng"/>: top quarter green, below it left half red and right half blue.</summary>
    public static (byte R, byte G, byte B) Band(int x, int y, int width, int height) =>
        y < height / 4 ? ((byte)0, (byte)200, (byte)0) : x < width / 2 ? ((byte)220, (byte)0, (byte)0) : ((byte)0, (byte)0, (byte)210);

    /// <summary>
    /// An 8-bit RGB PNG of flat <see cref="Band"/>s, written row by row through zlib (Skia's encoder takes tens of seconds at
    /// 7000×7000; this takes well under one), optionally Adam7-interlaced. Flat content compresses about 1000:1, like the
    /// 143 KB 7000×7000 PNGs of the decode-memory reproduction.
    /// </summary>
    public static byte[] BandedPng(int width, int height, bool interlaced = false)
    {
        using var stream = new MemoryStream();
        stream.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), (uint)height);
        ihdr[8] = 8;   // bit depth
        ihdr[9] = 2;   // RGB
        ihdr[12] = interlaced ? (byte)1 : (byte)0;
        WriteChunk(stream, "IHDR", ihdr);

        using var compressed = new MemoryStream();
        using (var zlib = new System.IO.Compression.ZLibStream(compressed, System.IO.Compression.CompressionLevel.SmallestSize, leaveOpen: true))
        {
            // Adam7 passes as (x start, y start, x step, y step); a plain image is one pass over every pixel.
            (int X0, int Y0, int Dx, int Dy)[] passes = interlaced
                ? [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
                : [(0, 0, 1, 1)];
            var row = new byte[1 + (width * 3)];
            foreach (var (x0, y0, dx, dy) in passes)
            {
                for (var y = y0; y < height && x0 < width; y += dy)
                {
                    var n = 0;
                    for (var x = x0; x < width; x += dx, n++)
                    {
                        (row[1 + (n * 3)], row[2 + (n * 3)], row[3 + (n * 3)]) = Band(x, y, width, height);
                    }

                    zlib.Write(row, 0, 1 + (n * 3)); // filter byte 0 (none), then the pass's pixels of this row
                }
            }
        }

        WriteChunk(stream, "IDAT", compressed.ToArray());
        WriteChunk(stream, "IEND", []);
        return stream.ToArray();
    }

    public static byte[] Pdf() => Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");

    private static byte[] Encode(int width, int height, SKEncodedImageFormat format, int quality)
    {
        using var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                bitmap.SetPixel(x, y, new SKColor((byte)(x * 255 / Math.Max(1, width - 1)), (byte)(y * 255 / Math.Max(1, height - 1)), 128));
            }
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, quality);
        return data.ToArray();
    }

    private static void WriteChunk(Stream stream, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(word, (uint)data.Length);
        stream.Write(word);
        var typeAndData = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        stream.Write(typeAndData);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.HashToUInt32(typeAndData));
        stream.Write(word);
    }

    private static int IndexOf(byte[] haystack, ReadOnlySpan<byte> needle) => haystack.AsSpan().IndexOf(needle);
}
