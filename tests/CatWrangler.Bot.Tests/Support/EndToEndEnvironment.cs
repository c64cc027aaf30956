using CatWrangler.TestSupport;

namespace CatWrangler.Bot.Tests.Support;

/// <summary>What the end-to-end tests need from the detector side: the converted model and two eval photos.</summary>
internal static class EndToEndEnvironment
{
    /// <summary>A house cat the detector is sure about (cat score 0.74) from ../shared/eval.</summary>
    public const string CatImage = "cat_0046.jpg";

    /// <summary>A dog (Oxford-IIIT beagle) from ../shared/eval.</summary>
    public const string DogImage = "nocat_0015.jpg";

    /// <summary>Built by the assembly's <see cref="ModelFixture"/> before any test runs.</summary>
    public static string ModelDirectory => ModelFixture.ModelDirectory;

    /// <summary>Skips the calling test when the eval photos are absent.</summary>
    public static void Require() => RepoPaths.RequireEvalDirectory();

    /// <summary>Detector configuration for the test host: the repository's model, one inference thread (CI has 2 cores).</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Configuration() =>
    [
        new("CatWrangler:Detector:ModelDirectory", ModelDirectory),
        new("CatWrangler:Detector:IntraOpThreads", "1"),
    ];
}
