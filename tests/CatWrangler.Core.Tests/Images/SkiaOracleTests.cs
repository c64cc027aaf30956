using System.Buffers.Binary;
using System.IO.Hashing;
using CatWrangler.Core.Images;
using CatWrangler.TestSupport;
using SkiaSharp;

namespace CatWrangler.Core.Tests.Images;

/// <summary>
/// The pure-code header check and EXIF orientation against the decoder the detector uses: SKCodec (libjpeg-turbo, libpng)
/// must accept exactly the complete files the validator accepts, and report the same orientation.
/// </summary>
public sealed class SkiaOracleTests
{
    /// <summary>No size limit gets in the way: only the structure is compared.</summary>
    private readonly ImageValidator _validator = new(new ImageLimits
    {
        MaxBytes = long.MaxValue,
        MaxPixels = long.MaxValue,
        MaxDecodeBytes = long.MaxValue,
    });

    [Fact]
    public void Every_eval_image_is_accepted_like_skia_with_the_same_size_and_orientation()
    {
        var files = Directory.GetFiles(Path.Combine(RepoPaths.RequireEvalDirectory(), "images"));
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file);
            using var codec = SkiaCodec(bytes);
            var check = _validator.Check(bytes);

            Assert.True(codec is not null, $"{Path.GetFileName(file)}: Skia rejects an eval image");
            var accepted = Assert.IsType<ImageCheck.Accepted>(check, exactMatch: false);
            Assert.Equal((codec.Info.Width, codec.Info.Height), (accepted.Width, accepted.Height));
            Assert.Equal((int)codec.EncodedOrigin, (int)ImageOrientations.Read(bytes));
        }
    }

    public static TheoryData<string> JpegVariants => [.. JpegCases().Keys];

    [Theory]
    [MemberData(nameof(JpegVariants))]
    public void A_jpeg_variant_is_accepted_exactly_when_skia_accepts_it(string name) => AssertAgreesWithSkia(name, JpegCases()[name]);

    public static TheoryData<string> PngVariants => [.. PngCases().Keys];

    [Theory]
    [MemberData(nameof(PngVariants))]
    public void A_png_variant_is_accepted_exactly_when_skia_accepts_it(string name) => AssertAgreesWithSkia(name, PngCases()[name]);

    public static TheoryData<string, ushort> Orientations()
    {
        var data = new TheoryData<string, ushort>();
        foreach (var order in new[] { "II", "MM" })
        {
            for (ushort value = 0; value <= 9; value++)
            {
                data.Add(order, value);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Orientations))]
    public void Every_orientation_in_either_byte_order_reads_as_skia_reads_it(string byteOrder, ushort value)
    {
        var jpeg = WithApp1(TestImages.Jpeg(40, 30), Exif(Tiff(byteOrder == "II", [OrientationEntry(value)])));

        AssertOrientationAgrees(jpeg);
        Assert.Equal(value is >= 1 and <= 8 ? value : 1, (int)ImageOrientations.Read(jpeg));
    }

    public static TheoryData<string> ExifVariants => [.. ExifCases().Keys];

    [Theory]
    [MemberData(nameof(ExifVariants))]
    public void Garbled_exif_reads_as_skia_reads_it(string name) => AssertOrientationAgrees(ExifCases()[name]);

    [Fact]
    public void Random_header_mutations_never_throw_and_never_pass_what_skia_rejects()
    {
        var random = new Random(20261202);
        var seeds = SeedImages();
        var accepted = 0;
        for (var i = 0; i < 4000; i++)
        {
            var (bytes, headerLength, isPng) = seeds[random.Next(seeds.Count)];
            var mutated = bytes.ToArray();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                mutated[random.Next(2, headerLength)] = (byte)random.Next(256);
            }

            if (isPng)
            {
                FixPngCrcs(mutated); // so the mutation reaches the header rules, not only the CRC check
            }

            var check = _validator.Check(mutated);
            var orientation = ImageOrientations.Read(mutated);
            if (check is ImageCheck.Accepted header)
            {
                accepted++;
                using var codec = SkiaCodec(mutated);
                Assert.True(codec is not null, $"mutation {i} is accepted but Skia rejects it: {Convert.ToHexString(mutated[..headerLength])}");
                Assert.Equal((codec.Info.Width, codec.Info.Height), (header.Width, header.Height));
                Assert.Equal((int)codec.EncodedOrigin, (int)orientation);
            }
        }

        Assert.InRange(accepted, 1, 3999); // the mutations reach both answers
    }

    [Theory]
    [InlineData(65500, true)]
    [InlineData(65501, false)]
    public void A_jpeg_side_is_read_up_to_libjpegs_limit(ushort width, bool readable)
    {
        // The header alone: a file this short for its size is refused as truncated, which Skia's header read does not check.
        var jpeg = Patch(TestImages.Jpeg(32, 24), SegmentAt(TestImages.Jpeg(32, 24), 0xC0) + 7, (byte)(width >> 8), (byte)width);
        using var codec = SkiaCodec(jpeg);

        Assert.Equal(readable, codec is not null);
        Assert.Equal(readable, JpegHeader.TryRead(jpeg, out _, out _));
    }

    /// <summary>
    /// Accepted: Skia reads the header, at the same size. Rejected: Skia refuses the header, or (where the validator is
    /// deliberately stricter, e.g. 12-bit, lossless or arithmetic-coded JPEGs whose headers Skia reads) cannot decode the pixels.
    /// </summary>
    private void AssertAgreesWithSkia(string name, byte[] bytes)
    {
        using var codec = SkiaCodec(bytes);
        var check = _validator.Check(bytes);

        if (check is ImageCheck.Accepted header)
        {
            Assert.True(codec is not null, "the validator accepts what Skia rejects");
            Assert.Equal((codec.Info.Width, codec.Info.Height), (header.Width, header.Height));
        }
        else if (DeliberatelyStricter.Contains(name))
        {
            Assert.NotNull(codec);
            Assert.Equal(SKCodecResult.Success, codec.GetPixels(out _));
        }
        else if (codec is not null)
        {
            Assert.NotEqual(SKCodecResult.Success, codec.GetPixels(out _));
        }
    }

    /// <summary>
    /// Files Skia decodes that the validator refuses on purpose (docs/pipeline.md): arithmetic-coded JPEGs (rare, and the
    /// detector's decode path is only proven on Huffman-coded ones) and PNGs with an unknown critical chunk (the PNG
    /// specification tells decoders to refuse them; libpng inside Skia skips it).
    /// </summary>
    private static readonly HashSet<string> DeliberatelyStricter = ["SOF 0xC9", "unknown critical chunk"];

    private static void AssertOrientationAgrees(byte[] jpeg)
    {
        using var codec = SkiaCodec(jpeg);
        Assert.NotNull(codec);
        Assert.Equal((int)codec.EncodedOrigin, (int)ImageOrientations.Read(jpeg));
    }

    private static SKCodec? SkiaCodec(byte[] bytes) => SKCodec.Create(new MemoryStream(bytes));

    private static Dictionary<string, byte[]> JpegCases()
    {
        var colour = TestImages.Jpeg(32, 24);
        var grey = GreyJpeg(32, 24);
        var cases = new Dictionary<string, byte[]> { ["colour"] = colour, ["grey"] = grey };
        for (var marker = 0xC0; marker <= 0xCF; marker++)
        {
            if (marker is not (0xC4 or 0xC8 or 0xCC))
            {
                cases[$"SOF 0x{marker:X2}"] = Patch(colour, SegmentAt(colour, 0xC0) + 1, (byte)marker);
            }
        }

        foreach (var precision in new byte[] { 0, 2, 7, 12, 16 })
        {
            cases[$"{precision}-bit"] = Patch(colour, SegmentAt(colour, 0xC0) + 4, precision);
        }

        for (byte count = 1; count <= 5; count++)
        {
            cases[$"{count} components"] = WithComponents(grey, count);
        }

        var sof = SegmentAt(colour, 0xC0);
        cases["zero width"] = Patch(colour, sof + 7, 0, 0);
        cases["zero height"] = Patch(colour, sof + 5, 0, 0);
        cases["width 65501"] = Patch(colour, sof + 7, 0xFF, 0xDD);
        cases["sampling 0"] = Patch(colour, sof + 11, 0x01);
        cases["sampling 5"] = Patch(colour, sof + 11, 0x51);
        cases["duplicate component id"] = Patch(colour, sof + 13, colour[sof + 10]);
        cases["scan names an unknown component"] = Patch(colour, SegmentAt(colour, 0xDA) + 5, 0x09);
        cases["scan with no components"] = Patch(colour, SegmentAt(colour, 0xDA) + 4, 0);
        cases["quantisation table index 5"] = Patch(colour, SegmentAt(colour, 0xDB) + 4, 0x05);
        cases["16-bit quantisation table"] = Patch(colour, SegmentAt(colour, 0xDB) + 4, 0x10);
        cases["Huffman table index 5"] = Patch(colour, SegmentAt(colour, 0xC4) + 4, 0x05);
        cases["Huffman counts over 256"] = Patch(colour, SegmentAt(colour, 0xC4) + 5, 0xFF, 0xFF);
        cases["restart interval"] = Insert(colour, [0xFF, 0xDD, 0, 4, 0, 0]);
        cases["restart interval too long"] = Insert(colour, [0xFF, 0xDD, 0, 5, 0, 0, 0]);
        cases["comment"] = Insert(colour, [0xFF, 0xFE, 0, 5, (byte)'h', (byte)'i', (byte)'!']);
        cases["JPGn marker"] = Insert(colour, [0xFF, 0xF0, 0, 4, 0, 0]);
        cases["DHP marker"] = Insert(colour, [0xFF, 0xDE, 0, 4, 0, 0]);
        cases["fill bytes"] = Insert(colour, [0xFF, 0xFF, 0xFF, 0xFE, 0, 2]);
        cases["restart marker before scan"] = Insert(colour, [0xFF, 0xD0]);
        cases["second SOI"] = Insert(colour, [0xFF, 0xD8]);
        cases["EOI before scan"] = Insert(colour, [0xFF, 0xD9]);
        cases["two frame headers"] = Insert(colour, colour.AsSpan(sof, 2 + BinaryPrimitives.ReadUInt16BigEndian(colour.AsSpan(sof + 2))).ToArray());
        return cases;
    }

    private static Dictionary<string, byte[]> PngCases()
    {
        var png = TestImages.Png(20, 10);
        var cases = new Dictionary<string, byte[]> { ["rgba"] = png };
        foreach (var colourType in new byte[] { 0, 1, 2, 3, 4, 5, 6, 7 })
        {
            foreach (var depth in new byte[] { 0, 1, 2, 3, 4, 8, 16, 32 })
            {
                var variant = WithIhdr(png, ihdr => (ihdr[8], ihdr[9]) = (depth, colourType));
                cases[$"type {colourType} depth {depth}"] = colourType == 3 ? WithChunkBeforeIdat(variant, "PLTE", [0, 0, 0, 255, 255, 255]) : variant;
            }
        }

        cases["palette without PLTE"] = WithIhdr(png, ihdr => (ihdr[8], ihdr[9]) = (8, 3));
        cases["PLTE of 4 bytes"] = WithChunkBeforeIdat(WithIhdr(png, ihdr => (ihdr[8], ihdr[9]) = (8, 3)), "PLTE", [1, 2, 3, 4]);
        cases["compression 1"] = WithIhdr(png, ihdr => ihdr[10] = 1);
        cases["filter 1"] = WithIhdr(png, ihdr => ihdr[11] = 1);
        cases["interlace 1"] = WithIhdr(png, ihdr => ihdr[12] = 1);
        cases["interlace 2"] = WithIhdr(png, ihdr => ihdr[12] = 2);
        cases["zero width"] = WithIhdr(png, ihdr => BinaryPrimitives.WriteUInt32BigEndian(ihdr, 0));
        cases["width 1000000"] = WithIhdr(png, ihdr => BinaryPrimitives.WriteUInt32BigEndian(ihdr, 1_000_000));
        cases["width 1000001"] = WithIhdr(png, ihdr => BinaryPrimitives.WriteUInt32BigEndian(ihdr, 1_000_001));
        cases["height 2^31"] = WithIhdr(png, ihdr => BinaryPrimitives.WriteUInt32BigEndian(ihdr[4..], 0x8000_0000));
        cases["unknown critical chunk"] = WithChunkBeforeIdat(png, "ABCD", [1]);
        cases["unknown ancillary chunk"] = WithChunkBeforeIdat(png, "abCd", [1]);
        cases["chunk name with a digit"] = WithChunkBeforeIdat(png, "ab1d", [1]);
        cases["second IHDR"] = WithChunkBeforeIdat(png, "IHDR", png.AsSpan(16, 13).ToArray());
        return cases;
    }

    private static Dictionary<string, byte[]> ExifCases()
    {
        var jpeg = TestImages.Jpeg(40, 30);
        var six = OrientationEntry(6);
        var otherTag = new byte[] { 0x01, 0x0F, 0, 2, 0, 0, 0, 4, 0, 0, 0, 0 }; // Make, ASCII
        return new Dictionary<string, byte[]>
        {
            ["no exif"] = jpeg,
            ["orientation after another tag"] = WithApp1(jpeg, Exif(Tiff(false, [otherTag, six]))),
            ["orientation as LONG"] = WithApp1(jpeg, Exif(Tiff(false, [Entry(0x0112, 4, 1, 6)]))),
            ["orientation with count 2"] = WithApp1(jpeg, Exif(Tiff(false, [Entry(0x0112, 3, 2, 6)]))),
            ["entry count larger than the segment"] = WithApp1(jpeg, Exif(Patch(Tiff(false, [six]), 8, 0x01, 0x00))),
            ["IFD offset past the end"] = WithApp1(jpeg, Exif(Patch(Tiff(false, [six]), 4, 0, 0, 0x10, 0))),
            ["IFD offset 2^32-1"] = WithApp1(jpeg, Exif(Patch(Tiff(false, [six]), 4, 0xFF, 0xFF, 0xFF, 0xFF))),
            ["truncated inside the entry"] = WithApp1(jpeg, Exif(Tiff(false, [six])[..16])),
            ["TIFF header only"] = WithApp1(jpeg, Exif(Tiff(false, [six])[..8])),
            ["bad byte-order mark"] = WithApp1(jpeg, Exif(Patch(Tiff(false, [six]), 0, (byte)'M', (byte)'I'))),
            ["wrong magic"] = WithApp1(jpeg, Exif(Patch(Tiff(false, [six]), 2, 0, 43))),
            ["no Exif signature"] = WithApp1(jpeg, [(byte)'X', .. Exif(Tiff(false, [six]))[1..]]),
            ["other padding byte"] = WithApp1(jpeg, Patch(Exif(Tiff(true, [six])), 5, 0x20)),
            ["empty APP1"] = WithApp1(jpeg, []),
            ["signature only"] = WithApp1(jpeg, Exif([])),
            ["first Exif has no orientation, second has"] =
                WithApp1(WithApp1(jpeg, Exif(Tiff(true, [six]))), Exif(Tiff(true, [otherTag]))),
            ["first Exif says 3, second 6"] = WithApp1(WithApp1(jpeg, Exif(Tiff(true, [six]))), Exif(Tiff(true, [OrientationEntry(3)]))),
            ["Exif after the scan"] = MoveAfterScan(jpeg, Exif(Tiff(true, [six]))),
        };
    }

    /// <summary>Real headers to mutate: eval photos when present, generated ones always (with and without Exif).</summary>
    private static List<(byte[] Bytes, int HeaderLength, bool IsPng)> SeedImages()
    {
        var seeds = new List<byte[]>
        {
            TestImages.Jpeg(48, 32),
            GreyJpeg(24, 24),
            WithApp1(TestImages.Jpeg(48, 32), Exif(Tiff(true, [OrientationEntry(6)]))),
            WithApp1(TestImages.Jpeg(48, 32), Exif(Tiff(false, [OrientationEntry(8)]))),
            TestImages.Png(20, 10),
        };
        if (RepoPaths.EvalDirectory is { } eval)
        {
            seeds.AddRange(Directory.GetFiles(Path.Combine(eval, "images")).Order().Take(12).Select(File.ReadAllBytes));
        }

        return [.. seeds.Select(s => s[0] == 0x89
            ? (s, Math.Min(s.Length, IdatOffset(s) + 12), true)
            : (s, JpegHeader.Read(s).ScanOffset, false))];
    }

    private static byte[] GreyJpeg(int width, int height)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        bitmap.Erase(new SKColor(90, 90, 90));
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 90);
        var bytes = data.ToArray();
        Assert.Equal(1, bytes[SegmentAt(bytes, 0xC0) + 9]); // one component, or the case names lie
        return bytes;
    }

    /// <summary>A grey JPEG's frame header rewritten to <paramref name="count"/> components; the scan still names only the first.</summary>
    private static byte[] WithComponents(byte[] grey, byte count)
    {
        var sof = SegmentAt(grey, 0xC0);
        var length = BinaryPrimitives.ReadUInt16BigEndian(grey.AsSpan(sof + 2));
        var frame = new List<byte>(grey.AsSpan(sof + 4, 5).ToArray()) { count };
        for (var id = 1; id <= count; id++)
        {
            frame.AddRange([(byte)id, 0x11, 0]);
        }

        return [.. grey.AsSpan(0, sof), 0xFF, 0xC0, .. BigEndian((ushort)(frame.Count + 2)), .. frame, .. grey.AsSpan(sof + 2 + length)];
    }

    private static byte[] OrientationEntry(ushort value) => Entry(0x0112, 3, 1, value);

    /// <summary>A 12-byte IFD entry (big-endian; <see cref="Tiff"/> swaps it for little-endian) whose value fits the 4 value bytes.</summary>
    private static byte[] Entry(ushort tag, ushort type, uint count, ushort value) =>
        [.. BigEndian(tag), .. BigEndian(type), (byte)(count >> 24), (byte)(count >> 16), (byte)(count >> 8), (byte)count, .. BigEndian(value), 0, 0];

    private static byte[] Tiff(bool littleEndian, byte[][] entries)
    {
        var tiff = new List<byte>();
        tiff.AddRange(littleEndian ? "II"u8.ToArray() : "MM"u8.ToArray());
        tiff.AddRange(Field(42, 2));
        tiff.AddRange(Field(8, 4));
        tiff.AddRange(Field((uint)entries.Length, 2));
        foreach (var e in entries)
        {
            // tag, type, count, then the SHORT value left-justified in the 4 value bytes
            tiff.AddRange(Field(BinaryPrimitives.ReadUInt16BigEndian(e), 2));
            tiff.AddRange(Field(BinaryPrimitives.ReadUInt16BigEndian(e.AsSpan(2)), 2));
            tiff.AddRange(Field(BinaryPrimitives.ReadUInt32BigEndian(e.AsSpan(4)), 4));
            tiff.AddRange(Field(BinaryPrimitives.ReadUInt16BigEndian(e.AsSpan(8)), 2));
            tiff.AddRange([0, 0]);
        }

        tiff.AddRange(Field(0, 4));
        return [.. tiff];

        byte[] Field(uint value, int size)
        {
            var bytes = new byte[size];
            for (var i = 0; i < size; i++)
            {
                var shift = 8 * (littleEndian ? i : size - 1 - i);
                bytes[i] = (byte)(value >> shift);
            }

            return bytes;
        }
    }

    private static byte[] Exif(byte[] tiff) => [.. "Exif\0\0"u8, .. tiff];

    /// <summary>Inserts an APP1 segment right after SOI (before any earlier-inserted one).</summary>
    private static byte[] WithApp1(byte[] jpeg, byte[] payload) =>
        Insert(jpeg, [0xFF, 0xE1, .. BigEndian((ushort)(payload.Length + 2)), .. payload]);

    private static byte[] MoveAfterScan(byte[] jpeg, byte[] payload)
    {
        var eoi = jpeg.Length - 2;
        return [.. jpeg.AsSpan(0, eoi), 0xFF, 0xE1, .. BigEndian((ushort)(payload.Length + 2)), .. payload, .. jpeg.AsSpan(eoi)];
    }

    private static byte[] Insert(byte[] jpeg, byte[] bytes, int at = 2) => [.. jpeg.AsSpan(0, at), .. bytes, .. jpeg.AsSpan(at)];

    private static byte[] Patch(byte[] bytes, int at, params byte[] values)
    {
        var copy = bytes.ToArray();
        values.CopyTo(copy, at);
        return copy;
    }

    private static byte[] BigEndian(ushort value) => [(byte)(value >> 8), (byte)value];

    /// <summary>Offset of the first marker segment of this kind before the scan data.</summary>
    private static int SegmentAt(byte[] jpeg, byte marker)
    {
        for (var offset = 2; offset + 4 <= jpeg.Length;)
        {
            if (jpeg[offset + 1] == marker)
            {
                return offset;
            }

            offset += 2 + BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(offset + 2));
        }

        throw new InvalidOperationException($"no 0x{marker:X2} segment");
    }

    private static byte[] WithIhdr(byte[] png, Action<Span<byte>> edit)
    {
        var copy = png.ToArray();
        edit(copy.AsSpan(16, 13));
        FixPngCrcs(copy);
        return copy;
    }

    private static byte[] WithChunkBeforeIdat(byte[] png, string type, byte[] data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)data.Length);
        System.Text.Encoding.ASCII.GetBytes(type).CopyTo(chunk, 4);
        data.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc32.HashToUInt32(chunk.AsSpan(4, 4 + data.Length)));
        return Insert(png, chunk, IdatOffset(png));
    }

    private static int IdatOffset(byte[] png) => png.AsSpan().IndexOf("IDAT"u8) - 4;

    /// <summary>Rewrites every complete chunk's CRC in place; stops at the first chunk whose length runs past the end.</summary>
    private static void FixPngCrcs(byte[] png)
    {
        for (var offset = 8; png.Length - offset >= 12;)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset));
            if (length > png.Length - offset - 12)
            {
                return;
            }

            BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(offset + 8 + (int)length), Crc32.HashToUInt32(png.AsSpan(offset + 4, 4 + (int)length)));
            offset += 12 + (int)length;
        }
    }
}
