using System.Text;
using CatWrangler.Core.Images;
using CatWrangler.TestSupport;

namespace CatWrangler.Core.Tests.Images;

/// <summary>The one sniffer, against files written by Skia's encoders (not by the code under test).</summary>
public sealed class ImageSnifferTests
{
    [Fact]
    public void Files_encoded_by_Skia_are_recognised_by_their_signature()
    {
        Assert.Equal(ImageFormat.Jpeg, ImageSniffer.Detect(TestImages.Jpeg()));
        Assert.Equal(ImageFormat.Png, ImageSniffer.Detect(TestImages.Png()));
        Assert.Null(ImageSniffer.Detect(TestImages.WebP()));
        Assert.Null(ImageSniffer.Detect(TestImages.Gif()));
        Assert.Null(ImageSniffer.Detect([]));
    }

    [Theory]
    [InlineData("<!DOCTYPE html><html><body>Sign in</body></html>")]
    [InlineData("\uFEFF\r\n  <html lang=\"en\"><body>Sign in</body></html>")]
    [InlineData("<HTML><BODY>Sign in</BODY></HTML>")]
    public void A_sign_in_page_is_html_whatever_its_case_or_leading_whitespace(string page)
    {
        Assert.True(ImageSniffer.IsHtml(Encoding.UTF8.GetBytes(page)));
        Assert.Equal("an HTML page", ImageSniffer.Describe(Encoding.UTF8.GetBytes(page)));
    }

    [Fact]
    public void Images_and_svg_are_not_html()
    {
        Assert.False(ImageSniffer.IsHtml(TestImages.Jpeg()));
        Assert.False(ImageSniffer.IsHtml(TestImages.Svg()));
        Assert.Equal("an SVG image", ImageSniffer.Describe(TestImages.Svg()));
    }
}
