using System.Text.Json;
using CatWrangler.Core.Images;
using CatWrangler.Detection.Onnx.Imaging;
using CatWrangler.TestSupport;
using Xunit;

namespace CatWrangler.Detection.Tests.Imaging;

/// <summary>
/// Our decode + letterbox against the Node reference's exact model input (refdet.mjs --prep letterbox --dump), for PNG eval
/// images (lossless, so both decoders see the same pixels). The fixture keeps 64 sampled values and the sum per image.
/// </summary>
public sealed class ReferenceLetterboxTests
{
    public static TheoryData<string> Images => ["images/cat_0040.png", "images/nocat_0118.png", "images/cat_0002.png"];

    [Theory]
    [MemberData(nameof(Images))]
    public void Model_input_matches_the_reference(string file)
    {
        var fixture = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Imaging", "Fixtures", "refdet-letterbox-samples.json")))
            .RootElement.GetProperty(file);
        var bytes = File.ReadAllBytes(Path.Combine(RepoPaths.RequireEvalDirectory(), file));
        using var image = new ImageDecoder(new ImageLimits()).Decode(bytes);
        var input = new float[512 * 512 * 3];

        Letterbox.Fill(image.Rgb, image.Width, image.Height, 512, input);

        // Pixel values are 0..255: 0.01 allows float32 rounding-order differences; a geometry slip moves values by whole units.
        foreach (var sample in fixture.GetProperty("samples").EnumerateArray())
        {
            var index = sample[0].GetInt32();
            Assert.True(Math.Abs(input[index] - sample[1].GetSingle()) <= 1e-2, $"{file}[{index}]: {input[index]} vs {sample[1].GetSingle()}");
        }

        var sum = input.Sum(v => (double)v);
        Assert.Equal(fixture.GetProperty("sum").GetDouble(), sum, fixture.GetProperty("sum").GetDouble() * 1e-6);
    }
}
