namespace CatWrangler.Bot.Tests.Support;

/// <summary>What the end-to-end tests need from the detector side: the model location and two eval photos.</summary>
internal static class EndToEndEnvironment
{
    /// <summary>A clear house cat from ../shared/eval.</summary>
    public const string CatImage = "cat_0001.jpg";

    /// <summary>A dog (Oxford-IIIT boxer) from ../shared/eval.</summary>
    public const string DogImage = "nocat_0011.jpg";

    /// <summary>Detector configuration for the test host.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Configuration() => [];
}
