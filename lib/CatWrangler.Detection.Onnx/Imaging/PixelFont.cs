using SkiaSharp;

namespace CatWrangler.Detection.Onnx.Imaging;

/// <summary>
/// A 5×7 pixel font for the few characters of a box label ("cat 0.74"). The Linux Skia build the hosts ship has no font
/// manager (no fontconfig, no system fonts on Lambda), so text drawn with a typeface would come out empty; drawn as
/// squares it looks the same on every machine.
/// </summary>
internal static class PixelFont
{
    public const int Height = 7;

    private const int GlyphWidth = 5;

    private static readonly Dictionary<char, string[]> Glyphs = new()
    {
        ['0'] = ["01110", "10001", "10011", "10101", "11001", "10001", "01110"],
        ['1'] = ["00100", "01100", "00100", "00100", "00100", "00100", "01110"],
        ['2'] = ["01110", "10001", "00001", "00010", "00100", "01000", "11111"],
        ['3'] = ["11111", "00010", "00100", "00010", "00001", "10001", "01110"],
        ['4'] = ["00010", "00110", "01010", "10010", "11111", "00010", "00010"],
        ['5'] = ["11111", "10000", "11110", "00001", "00001", "10001", "01110"],
        ['6'] = ["00110", "01000", "10000", "11110", "10001", "10001", "01110"],
        ['7'] = ["11111", "00001", "00010", "00100", "01000", "01000", "01000"],
        ['8'] = ["01110", "10001", "10001", "01110", "10001", "10001", "01110"],
        ['9'] = ["01110", "10001", "10001", "01111", "00001", "00010", "01100"],
        ['.'] = ["00000", "00000", "00000", "00000", "00000", "01100", "01100"],
        ['c'] = ["00000", "00000", "01110", "10000", "10000", "10001", "01110"],
        ['a'] = ["00000", "00000", "01110", "00001", "01111", "10001", "01111"],
        ['t'] = ["01000", "01000", "11100", "01000", "01000", "01001", "00110"],
        [' '] = ["00000", "00000", "00000", "00000", "00000", "00000", "00000"],
    };

    /// <summary>Width in font pixels: one column of space between characters.</summary>
    public static int Width(string text) => text.Length == 0 ? 0 : (text.Length * (GlyphWidth + 1)) - 1;

    /// <exception cref="ArgumentException">A character the font does not have.</exception>
    public static void Draw(SKCanvas canvas, string text, float left, float top, int pixel, SKPaint paint)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (!Glyphs.TryGetValue(text[i], out var rows))
            {
                throw new ArgumentException($"No glyph for '{text[i]}'.", nameof(text));
            }

            var x0 = left + (i * (GlyphWidth + 1) * pixel);
            for (var y = 0; y < Height; y++)
            {
                for (var x = 0; x < GlyphWidth; x++)
                {
                    if (rows[y][x] == '1')
                    {
                        canvas.DrawRect(SKRect.Create(x0 + (x * pixel), top + (y * pixel), pixel, pixel), paint);
                    }
                }
            }
        }
    }
}
