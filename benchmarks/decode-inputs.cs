#:project ../tests/CatWrangler.TestSupport/CatWrangler.TestSupport.csproj
using CatWrangler.TestSupport;
using SkiaSharp;

// Inputs of the decode-memory benchmark (benchmarks/decode-memory.sh): three flat-colour 7000×7000 PNGs of about 150 KB
// (zlib's ~1000:1 limit) and a 7000×7000 baseline JPEG of noisy bands, which the script turns progressive with jpegtran.
// usage: dotnet run benchmarks/decode-inputs.cs -- OUTPUT_DIR
var dir = Directory.CreateDirectory(args[0]).FullName;
for (var i = 1; i <= 3; i++)
{
    File.WriteAllBytes(Path.Combine(dir, $"flat-{i}.png"), TestImages.BandedPng(7000, 7000, interlaced: i == 3));
}

const int Size = 7000;
using (var bitmap = new SKBitmap(new SKImageInfo(Size, Size, SKColorType.Rgba8888, SKAlphaType.Opaque)))
{
    var pixels = bitmap.GetPixelSpan();
    var random = new Random(7);
    var noise = new byte[Size * 4];
    for (var y = 0; y < Size; y++)
    {
        random.NextBytes(noise);
        for (var x = 0; x < Size; x++)
        {
            var (r, g, b) = TestImages.Band(x, y, Size, Size);
            var o = ((y * Size) + x) * 4;
            pixels[o] = (byte)(r / 2 + (noise[x * 4] >> 2));
            pixels[o + 1] = (byte)(g / 2 + (noise[(x * 4) + 1] >> 2));
            pixels[o + 2] = (byte)(b / 2 + (noise[(x * 4) + 2] >> 2));
            pixels[o + 3] = 255;
        }
    }

    using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 85);
    File.WriteAllBytes(Path.Combine(dir, "photo-7000.jpg"), data.ToArray());
}

foreach (var f in Directory.GetFiles(dir).Order())
{
    Console.WriteLine($"{Path.GetFileName(f)}: {new FileInfo(f).Length:N0} bytes");
}
