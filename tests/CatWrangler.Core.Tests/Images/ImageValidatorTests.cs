using CatWrangler.Core.Images;
using CatWrangler.TestSupport;

namespace CatWrangler.Core.Tests.Images;

public sealed class ImageValidatorTests
{
    private readonly ImageValidator _validator = new(new ImageLimits());

    [Fact]
    public void Accepts_a_jpeg_and_reports_its_size()
    {
        var check = _validator.Check(TestImages.Jpeg(64, 48), "image/jpeg");

        Assert.Equal(new ImageCheck.Accepted(ImageFormat.Jpeg, 64, 48), check);
    }

    [Fact]
    public void Accepts_a_png_without_a_declared_type()
    {
        var check = _validator.Check(TestImages.Png(30, 20));

        Assert.Equal(new ImageCheck.Accepted(ImageFormat.Png, 30, 20), check);
    }

    public static TheoryData<string, ImageRejection, string> BadFiles => new()
    {
        { "empty", ImageRejection.Empty, "empty" },
        { "gif", ImageRejection.UnsupportedFormat, "GIF" },
        { "webp", ImageRejection.UnsupportedFormat, "WebP" },
        { "bmp", ImageRejection.UnsupportedFormat, "BMP" },
        { "svg", ImageRejection.UnsupportedFormat, "SVG" },
        { "html", ImageRejection.UnsupportedFormat, "HTML" },
        { "pdf", ImageRejection.UnsupportedFormat, "PDF" },
        { "text", ImageRejection.UnsupportedFormat, "JPEG and PNG" },
        { "truncated-jpeg", ImageRejection.Truncated, "truncated" },
        { "png-bad-crc", ImageRejection.Corrupt, "CRC" },
        { "png-0x0", ImageRejection.BadDimensions, "0×0" },
        { "png-bomb", ImageRejection.BadDimensions, "30000×30000" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Rejects_bad_files_with_a_reason(string kind, ImageRejection reason, string messagePart)
    {
        var bytes = kind switch
        {
            "empty" => [],
            "gif" => TestImages.Gif(),
            "webp" => TestImages.WebP(),
            "bmp" => TestImages.Bmp(),
            "svg" => TestImages.Svg(),
            "html" => TestImages.Html(),
            "pdf" => TestImages.Pdf(),
            "text" => TestImages.Text(),
            "truncated-jpeg" => TestImages.TruncatedJpeg(),
            "png-bad-crc" => TestImages.PngWithBadCrc(),
            "png-0x0" => TestImages.PngWithHeader(0, 0),
            "png-bomb" => TestImages.PngWithHeader(30000, 30000),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        var rejected = Assert.IsType<ImageCheck.Rejected>(_validator.Check(bytes));

        Assert.Equal(reason, rejected.Reason);
        Assert.Contains(messagePart, rejected.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Rejects_a_jpeg_shorter_than_its_header_promises_as_truncated()
    {
        // 7000×7000 claimed, 16×16 worth of scan data and a proper end-of-image marker: libjpeg would fill the rest with grey.
        var lying = TestImages.JpegWithLyingHeader(7000, 7000);

        var rejected = Assert.IsType<ImageCheck.Rejected>(_validator.Check(lying));

        Assert.True(lying.Length < 1000, $"the file has {lying.Length} bytes");
        Assert.Equal(ImageRejection.Truncated, rejected.Reason);
        Assert.Contains("7000×7000", rejected.Message);
    }

    [Fact]
    public void Rejects_a_progressive_jpeg_whose_coefficients_exceed_the_decode_limit()
    {
        // A 256×256 frame marked progressive (SOF2): libjpeg would hold 64 coefficients × 2 bytes for each of its blocks.
        var jpeg = TestImages.Jpeg(256, 256);
        jpeg[jpeg.AsSpan().IndexOf([(byte)0xFF, (byte)0xC0]) + 1] = 0xC2;
        var header = JpegHeader.Read(jpeg);
        var limits = new ImageLimits { MaxDecodeBytes = header.CoefficientBytes - 1 };

        var rejected = Assert.IsType<ImageCheck.Rejected>(new ImageValidator(limits).Check(jpeg));

        Assert.True(header.Progressive);
        Assert.Equal(ImageRejection.BadDimensions, rejected.Reason);
        Assert.Contains("progressive", rejected.Message);
    }

    [Fact]
    public void Validating_a_huge_png_allocates_nothing_like_its_pixels()
    {
        var png = TestImages.BandedPng(7000, 7000); // about 147 MB of RGB pixels in a file of about 150 KB

        var before = GC.GetAllocatedBytesForCurrentThread();
        var check = _validator.Check(png);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(new ImageCheck.Accepted(ImageFormat.Png, 7000, 7000), check);
        Assert.True(allocated < 4L * png.Length, $"validation allocated {allocated:N0} bytes for a {png.Length:N0}-byte file");
    }

    [Theory]
    [InlineData(0.99)]
    [InlineData(0.5)]
    [InlineData(0.1)]
    public void Rejects_a_png_cut_anywhere(double fraction)
    {
        var png = TestImages.Png(128, 96);

        var rejected = Assert.IsType<ImageCheck.Rejected>(_validator.Check(png[..(int)(png.Length * fraction)]));

        Assert.Equal(ImageRejection.Truncated, rejected.Reason);
    }

    [Theory]
    [InlineData("image/png")]
    [InlineData("image/gif")]
    [InlineData("text/plain")]
    public void Rejects_a_declared_type_that_contradicts_the_content(string declared)
    {
        var rejected = Assert.IsType<ImageCheck.Rejected>(_validator.Check(TestImages.Jpeg(), declared));

        Assert.Equal(ImageRejection.ContentTypeMismatch, rejected.Reason);
        Assert.Contains("image/jpeg", rejected.Message);
    }

    [Theory]
    [InlineData("image/jpeg; charset=binary")]
    [InlineData("application/octet-stream")]
    [InlineData("IMAGE/JPG")]
    public void Tolerates_declared_types_that_agree_or_say_nothing(string declared)
    {
        Assert.IsType<ImageCheck.Accepted>(_validator.Check(TestImages.Jpeg(), declared));
    }

    [Fact]
    public void Enforces_the_configured_byte_and_pixel_limits()
    {
        var jpeg = TestImages.Jpeg(100, 100);
        var strict = new ImageValidator(new ImageLimits { MaxBytes = jpeg.Length - 1, MaxPixels = 1_000_000 });
        var fewPixels = new ImageValidator(new ImageLimits { MaxPixels = 9_999 });

        Assert.Equal(ImageRejection.TooLarge, Assert.IsType<ImageCheck.Rejected>(strict.Check(jpeg)).Reason);
        Assert.Equal(ImageRejection.BadDimensions, Assert.IsType<ImageCheck.Rejected>(fewPixels.Check(jpeg)).Reason);
        Assert.IsType<ImageCheck.Accepted>(new ImageValidator(new ImageLimits { MaxPixels = 10_000 }).Check(jpeg));
    }

    [Fact]
    public void Accepts_every_photo_of_the_eval_set()
    {
        var dir = RepoPaths.RequireEvalDirectory();
        var files = Directory.GetFiles(Path.Combine(dir, "images"));
        Assert.NotEmpty(files);

        var rejected = files
            .Select(f => (File: Path.GetFileName(f), Check: _validator.Check(File.ReadAllBytes(f))))
            .Where(r => r.Check is not ImageCheck.Accepted)
            .Select(r => $"{r.File}: {r.Check}")
            .ToList();

        Assert.Empty(rejected);
    }
}
