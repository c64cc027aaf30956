using System.Buffers.Binary;

namespace CatWrangler.Core.Images;

/// <summary>
/// What a JPEG's marker segments promise, read up to the first start-of-scan without decoding anything: the frame size, its
/// components, whether it is progressive, the EXIF orientation and where the entropy-coded data starts. Both the validator and
/// the decoder use it to reject files too short for the image their header claims and to cost a decode before allocating for it.
/// </summary>
/// <remarks>
/// <see cref="TryRead"/> accepts only what libjpeg-turbo (inside Skia) reads: Huffman-coded baseline, extended or progressive
/// frames of 8-bit samples with 1, 3 or 4 components, and well-formed table, restart and scan segments before the first scan.
/// The oracle tests compare it with <c>SKCodec.Create</c>.
/// </remarks>
public sealed record JpegHeader(int Width, int Height, bool Progressive, IReadOnlyList<JpegComponent> Components, int ScanOffset)
{
    /// <summary>libjpeg's JPEG_MAX_DIMENSION: larger frames fail in jpeg_read_header.</summary>
    public const int MaxDimension = 65500;

    private const byte Sof0Baseline = 0xC0, Sof1Extended = 0xC1, Sof2Progressive = 0xC2;
    private const byte Dht = 0xC4, Dac = 0xCC, Soi = 0xD8, Eoi = 0xD9, Sos = 0xDA, Dqt = 0xDB, Dnl = 0xDC, Dri = 0xDD;
    private const byte App1 = 0xE1, Com = 0xFE, Tem = 0x01;

    /// <summary>The EXIF orientation in the first Exif APP1 segment; <see cref="ImageOrientation.TopLeft"/> without one.</summary>
    public ImageOrientation Orientation { get; init; } = ImageOrientation.TopLeft;

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
        if (bytes.Length < 3 || bytes[0] != 0xFF || bytes[1] != Soi)
        {
            rejection = Corrupt("The file does not start with a JPEG start-of-image marker.");
            return false;
        }

        var offset = 2;
        JpegHeader? frame = null;
        byte[] componentIds = [];
        ImageOrientation? orientation = null;
        var sawExif = false;
        while (true)
        {
            if (bytes.Length - offset < 2)
            {
                rejection = new(ImageRejection.Truncated, "The JPEG file ends before its image data: it is truncated.");
                return false;
            }

            if (bytes[offset] != 0xFF)
            {
                rejection = Corrupt("The JPEG file has a broken marker structure.");
                return false;
            }

            var marker = bytes[offset + 1];
            if (marker == 0xFF)
            {
                offset++; // fill byte
                continue;
            }

            if (marker is Tem or (>= 0xD0 and <= 0xD7))
            {
                offset += 2; // markers without a segment, harmless before the scan
                continue;
            }

            if (marker is Soi or Eoi)
            {
                rejection = Corrupt("The JPEG file has a start- or end-of-image marker before its image data.");
                return false;
            }

            if (bytes.Length - offset < 4)
            {
                rejection = new(ImageRejection.Truncated, "The JPEG file ends before its image data: it is truncated.");
                return false;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(bytes[(offset + 2)..]);
            if (length < 2 || bytes.Length - offset - 2 < length)
            {
                rejection = new(ImageRejection.Truncated, "The JPEG file ends inside a header segment: it is truncated.");
                return false;
            }

            var segment = bytes.Slice(offset + 4, length - 2);
            string? problem = marker switch
            {
                Sof0Baseline or Sof1Extended or Sof2Progressive when frame is not null => "The JPEG file has two frame headers.",
                Sof0Baseline or Sof1Extended or Sof2Progressive => ReadFrame(segment, marker, out frame, out componentIds),
                >= 0xC0 and <= 0xCF and not Dht and not Dac and not 0xC8 => Unsupported(marker),
                Dht => CheckHuffmanTables(segment),
                Dqt => CheckQuantizationTables(segment),
                Dri => segment.Length == 2 ? null : "The JPEG restart interval segment is malformed.",
                Sos when frame is null => "The JPEG file has no frame header.",
                Sos => CheckScan(segment, componentIds),
                Dac or Dnl or Com or (>= 0xE0 and <= 0xEF) => null,
                _ => $"The JPEG file has an unknown marker 0x{marker:X2}.",
            };
            if (problem is not null)
            {
                rejection = Corrupt(problem);
                return false;
            }

            if (marker == App1 && !sawExif && ExifOrientation.IsExif(segment))
            {
                sawExif = true; // like Skia, only the first Exif segment counts
                orientation = ExifOrientation.Read(segment[ExifOrientation.HeaderLength..]);
            }

            offset += 2 + length;
            if (marker == Sos)
            {
                break;
            }
        }

        header = frame! with { ScanOffset = offset, Orientation = orientation ?? ImageOrientation.TopLeft };
        return true;
    }

    /// <summary>SOFn payload: precision, height, width, component count, then (id, sampling, table) per component.</summary>
    private static string? ReadFrame(ReadOnlySpan<byte> sof, byte marker, out JpegHeader? frame, out byte[] ids)
    {
        frame = null;
        ids = [];
        const string malformed = "The JPEG frame header is malformed.";
        if (sof.Length < 6)
        {
            return malformed;
        }

        if (sof[0] != 8)
        {
            return $"The JPEG has {sof[0]}-bit samples; only 8-bit JPEGs can be decoded.";
        }

        var height = BinaryPrimitives.ReadUInt16BigEndian(sof[1..]);
        var width = BinaryPrimitives.ReadUInt16BigEndian(sof[3..]);
        var count = sof[5];
        if (sof.Length != 6 + (3 * count))
        {
            return malformed;
        }

        if (count is not (1 or 3 or 4))
        {
            return $"The JPEG has {count} colour components; only greyscale (1), colour (3) and CMYK (4) JPEGs can be decoded.";
        }

        if (width > MaxDimension || height > MaxDimension)
        {
            return $"The JPEG frame is {width}×{height} pixels; a JPEG side can be at most {MaxDimension} pixels.";
        }

        var components = new JpegComponent[count];
        ids = new byte[count];
        for (var i = 0; i < count; i++)
        {
            var id = sof[6 + (3 * i)];
            var sampling = sof[6 + (3 * i) + 1];
            int h = sampling >> 4, v = sampling & 0x0F;
            if (h is < 1 or > 4 || v is < 1 or > 4 || ids.AsSpan(0, i).Contains(id))
            {
                return malformed;
            }

            ids[i] = id;
            components[i] = new JpegComponent(h, v);
        }

        frame = new JpegHeader(width, height, marker == Sof2Progressive, components, 0);
        return null;
    }

    private static string Unsupported(byte marker) => marker switch
    {
        0xC3 or 0xCB => "The JPEG is lossless-coded; only baseline and progressive JPEGs can be decoded.",
        0xC9 or 0xCA => "The JPEG is arithmetic-coded; only Huffman-coded JPEGs can be decoded.",
        _ => "The JPEG is hierarchical or lossless-coded; only baseline and progressive JPEGs can be decoded.",
    };

    /// <summary>DHT: (class/index, 16 code counts, values) repeated; libjpeg rejects more than 256 values or a bad index or length.</summary>
    private static string? CheckHuffmanTables(ReadOnlySpan<byte> dht)
    {
        while (dht.Length > 16)
        {
            var index = dht[0];
            var count = 0;
            foreach (var codes in dht.Slice(1, 16))
            {
                count += codes;
            }

            if ((index & 0x0F) >= 4 || (index & 0xE0) != 0 || count > 256 || count > dht.Length - 17)
            {
                return "The JPEG Huffman table is malformed.";
            }

            dht = dht[(17 + count)..];
        }

        return dht.IsEmpty ? null : "The JPEG Huffman table is malformed.";
    }

    /// <summary>DQT: (precision/index, 64 values of 1 or 2 bytes) repeated.</summary>
    private static string? CheckQuantizationTables(ReadOnlySpan<byte> dqt)
    {
        while (!dqt.IsEmpty)
        {
            var size = 1 + (64 * ((dqt[0] >> 4) == 0 ? 1 : 2));
            if ((dqt[0] & 0x0F) >= 4 || (dqt[0] >> 4) > 1 || dqt.Length < size)
            {
                return "The JPEG quantisation table is malformed.";
            }

            dqt = dqt[size..];
        }

        return null;
    }

    /// <summary>SOS: 1–4 distinct components of the frame, then the spectral selection and approximation bytes.</summary>
    private static string? CheckScan(ReadOnlySpan<byte> sos, byte[] frameIds)
    {
        if (sos.Length < 1 || sos[0] is < 1 or > 4 || sos.Length != 4 + (2 * sos[0]))
        {
            return "The JPEG scan header is malformed.";
        }

        Span<byte> seen = stackalloc byte[4];
        for (var i = 0; i < sos[0]; i++)
        {
            var id = sos[1 + (2 * i)];
            if (!frameIds.AsSpan().Contains(id) || seen[..i].Contains(id))
            {
                return "The JPEG scan names a component the frame does not have.";
            }

            seen[i] = id;
        }

        return null;
    }

    private static ImageCheck.Rejected Corrupt(string message) => new(ImageRejection.Corrupt, message);

    private static long CeilDiv(long a, long b) => (a + b - 1) / b;
}
