using System.Security.Cryptography;

namespace CatWrangler.Core.Uploads;

/// <summary>Upload ids: <c>upl_</c> and 32 lower-case hex digits (128 random bits), safe as a file or object name.</summary>
public static class UploadIds
{
    private const string Prefix = "upl_";

    public static string New() => Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public static bool IsValid(string? id)
        => id is { Length: 36 } && id.StartsWith(Prefix, StringComparison.Ordinal) && id.AsSpan(Prefix.Length).ContainsAnyExcept("0123456789abcdef") is false;
}
