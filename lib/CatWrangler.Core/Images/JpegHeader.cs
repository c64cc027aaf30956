using System.Buffers.Binary;

namespace CatWrangler.Core.Images;

/// <summary>One colour component of a JPEG frame with its sampling factors.</summary>
public readonly record struct JpegComponent(int HorizontalSampling, int VerticalSampling);

/// <summary>
/// What a JPEG's marker segments promise, read up to the first start-of-scan without decoding anything: the frame size, its
/// components, whether it is progressive and where the entropy-coded data starts. Both the validator and the decoder use it
/// to reject files too short for the image their header claims and to cost a decode before allocating for it.
/// </summary>
public sealed record JpegHeader(int Width, int Height, bool Progressive, IReadOnlyList<JpegComponent> Components, int ScanOffset)
{
    /// <summary>
    /// 8×8 blocks the frame holds over all components (without MCU padding). Every block costs at least one Huffman code
    /// (one bit or more) in the scan that carries its DC coefficient, so the entropy-coded data of a complete image is at
    /// least <see cref="MinimumScanBytes"/> long.
    /// </summary>
    public long Blocks
    {
        get
        {
            var maxH = Components.Max(c => c.HorizontalSampling);
            var maxV = Components.Max(c => c.VerticalSampling);
            return Components.Sum(c =>
                CeilDiv(CeilDiv((long)Width * c.HorizontalSampling, maxH), 8) * CeilDiv(CeilDiv((long)Height * c.VerticalSampling, maxV), 8));
        }
    }

    public long MinimumScanBytes => CeilDiv(Blocks, 8);

    /// <summary>
    /// Memory libjpeg holds for a progressive image whatever the output scale: every DCT coefficient (64 × 2 bytes a block),
    /// since each later scan refines all of them. Baseline images are decoded a row of blocks at a time instead.
    /// </summary>
    public long CoefficientBytes => Progressive ? Blocks * 128 : 0;

    /// <summary>Reads the header, or explains why it cannot be read.</summary>
    public static JpegHeader Read(ReadOnlySpan<byte> bytes) =>
        TryRead(bytes, out var header, out var rejection) ? header : throw new ImageRejectedException(rejection.Reason, rejection.Message);

    public static bool TryRead(ReadOnlySpan<byte> bytes, out JpegHeader header, out ImageCheck.Rejected rejection)
    {
        header = null!;
        rejection = null!;
        if (bytes.Length < 3 || bytes[0] != 0xFF || bytes[1] != 0xD8)
        {
            rejection = new(ImageRejection.Corrupt, "The file does not start with a JPEG start-of-image marker.");
            return false;
        }

        var offset = 2;
        JpegHeader? frame = null;
        while (true)
        {
            if (bytes.Length - offset < 4)
            {
                rejection = new(ImageRejection.Truncated, "The JPEG file ends before its image data: it is truncated.");
                return false;
            }

            if (bytes[offset] != 0xFF)
            {
                rejection = new(ImageRejection.Corrupt, "The JPEG file has a broken marker structure.");
                return false;
            }

            var marker = bytes[offset + 1];
            if (marker == 0xFF)
            {
                offset++; // fill byte
                continue;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(bytes[(offset + 2)..]);
            if (length < 2 || bytes.Length - offset - 2 < length)
            {
                rejection = new(ImageRejection.Truncated, "The JPEG file ends inside a header segment: it is truncated.");
                return false;
            }

            if (IsStartOfFrame(marker))
            {
                if (ReadFrame(bytes.Slice(offset + 4, length - 2), marker) is not { } read)
                {
                    rejection = new(ImageRejection.Corrupt, "The JPEG frame header is malformed.");
                    return false;
                }

                frame = read;
            }

            offset += 2 + length;
            if (marker == 0xDA)
            {
                break;
            }
        }

        if (frame is null)
        {
            rejection = new(ImageRejection.Corrupt, "The JPEG file has no frame header.");
            return false;
        }

        header = frame with { ScanOffset = offset };
        return true;
    }

    /// <summary>SOFn payload: precision, height, width, component count, then (id, sampling, table) per component.</summary>
    private static JpegHeader? ReadFrame(ReadOnlySpan<byte> sof, byte marker)
    {
        if (sof.Length < 6)
        {
            return null;
        }

        var height = BinaryPrimitives.ReadUInt16BigEndian(sof[1..]);
        var width = BinaryPrimitives.ReadUInt16BigEndian(sof[3..]);
        var count = sof[5];
        if (count == 0 || sof.Length < 6 + (3 * count))
        {
            return null;
        }

        var components = new JpegComponent[count];
        for (var i = 0; i < count; i++)
        {
            var sampling = sof[6 + (3 * i) + 1];
            int h = sampling >> 4, v = sampling & 0x0F;
            if (h is < 1 or > 4 || v is < 1 or > 4)
            {
                return null;
            }

            components[i] = new JpegComponent(h, v);
        }

        // SOF2, SOF6, SOF10 and SOF14 are the progressive processes.
        var progressive = marker is 0xC2 or 0xC6 or 0xCA or 0xCE;
        return new JpegHeader(width, height, progressive, components, 0);
    }

    private static bool IsStartOfFrame(byte marker) =>
        marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC;

    private static long CeilDiv(long a, long b) => (a + b - 1) / b;
}
