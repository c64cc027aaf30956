using System.Text.Json;
using CatWrangler.TestSupport;

namespace CatWrangler.Detection.Tests.Parity;

/// <summary>Values derived from the Node reference (refdet) by make-fixtures.sh; see fixtures/centernet-letterbox.json.</summary>
public sealed record ParityFixture(int[][] InputPositions, int[][] HeatmapPositions, int[][] WhPositions, ParityImage[] Images)
{
    public static string FilePath => Path.Combine(RepoPaths.Root, "tests", "CatWrangler.Detection.Tests", "Parity", "fixtures", "centernet-letterbox.json");

    public static ParityFixture Load()
        => JsonSerializer.Deserialize<ParityFixture>(File.ReadAllBytes(FilePath), JsonSerializerOptions.Web)
            ?? throw new InvalidDataException(FilePath + " is empty.");
}

/// <summary>One image: the reference model input (sums and samples), per-class heatmap maxima, cat-top score and samples.</summary>
public sealed record ParityImage(
    string File,
    int Width,
    int Height,
    double InputSum,
    double InputSumSquares,
    float[] InputSamples,
    float[] ClassMax,
    float CatTop,
    float[] HeatmapSamples,
    float[] WhSamples);
