using System.Buffers.Binary;

namespace CatWrangler.Core.Images;

/// <summary>
/// The orientation tag (0x0112) of an Exif APP1 segment's first image file directory, read the way Skia reads it (only the first Exif segment counts): a SHORT of
/// count 1 with a value 1–8; anything else, including a truncated or garbled directory, means no orientation. Never throws.
/// </summary>
public static class ExifOrientation
{
    /// <summary>"Exif\0" and one padding byte before the TIFF header.</summary>
    public const int HeaderLength = 6;

    private const ushort OrientationTag = 0x0112, ShortType = 3;
    private const int EntryLength = 12;

    /// <summary>True for an APP1 payload that starts with the Exif signature.</summary>
    public static bool IsExif(ReadOnlySpan<byte> app1) => app1.Length >= HeaderLength && app1.StartsWith("Exif\0"u8);

    /// <summary>The orientation in a TIFF structure (byte-order mark, 42, offset of IFD0), or null when it has none.</summary>
    public static ImageOrientation? Read(ReadOnlySpan<byte> tiff)
    {
        if (tiff.Length < 8)
        {
            return null;
        }

        // Skia checks only the byte-order mark, not the 42 after it.
        var little = tiff.StartsWith("II"u8);
        if (!little && !tiff.StartsWith("MM"u8))
        {
            return null;
        }

        var ifd = UInt32(tiff[4..], little);
        if (ifd > (uint)tiff.Length - 2)
        {
            return null;
        }

        var entries = tiff[(int)ifd..];
        var count = Math.Min(UInt16(entries, little), (entries.Length - 2) / EntryLength);
        for (var i = 0; i < count; i++)
        {
            var entry = entries.Slice(2 + (i * EntryLength), EntryLength);
            if (UInt16(entry, little) == OrientationTag && UInt16(entry[2..], little) == ShortType && UInt32(entry[4..], little) == 1)
            {
                var value = UInt16(entry[8..], little);
                if (value is >= 1 and <= 8)
                {
                    return (ImageOrientation)value;
                }
            }
        }

        return null;
    }

    private static ushort UInt16(ReadOnlySpan<byte> b, bool little) =>
        little ? BinaryPrimitives.ReadUInt16LittleEndian(b) : BinaryPrimitives.ReadUInt16BigEndian(b);

    private static uint UInt32(ReadOnlySpan<byte> b, bool little) =>
        little ? BinaryPrimitives.ReadUInt32LittleEndian(b) : BinaryPrimitives.ReadUInt32BigEndian(b);
}
