using SkiaSharp;

namespace CatWrangler.Detection.Tests.Imaging;

/// <summary>Builds small encoded images in memory for decoder tests.</summary>
internal static class EncodedImages
{
    /// <summary>A <paramref name="width"/>×<paramref name="height"/> image whose pixel (x, y) is <paramref name="color"/>(x, y).</summary>
    public static byte[] Encode(int width, int height, Func<int, int, SKColor> color, SKEncodedImageFormat format, SKColorType colorType = SKColorType.Rgba8888, SKAlphaType alphaType = SKAlphaType.Unpremul, int quality = 100)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, colorType, alphaType));
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                bitmap.SetPixel(x, y, color(x, y));
            }
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, quality);
        return data.ToArray();
    }
}
