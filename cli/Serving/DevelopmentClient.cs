using System.Text.Json;
using CatWrangler.Core.Json;
using CatWrangler.Core.Security;

namespace CatWrangler.Cli.Serving;

/// <summary>
/// The API client <c>catscan serve</c> makes for itself on a development machine with none configured, so the first
/// <c>submit</c> works without inventing a secret: kept in <c>{data}/dev-client.json</c> (mode 0600, reused on every
/// start), printed as two <c>export</c> lines, and read by <c>submit</c>/<c>status</c> when no credentials are given.
/// </summary>
public sealed record DevelopmentClient(string Client, string Secret)
{
    public const string FileName = "dev-client.json";

    public const string DefaultId = "dev";

    public static string PathIn(string dataPath) => Path.Combine(dataPath, FileName);

    /// <summary>The stored client, or a new one written with owner-only permissions.</summary>
    public static DevelopmentClient LoadOrCreate(string dataPath)
    {
        if (TryLoad(dataPath) is { } existing)
        {
            return existing;
        }

        Directory.CreateDirectory(dataPath);
        var client = new DevelopmentClient(DefaultId, StandardWebhooksSignature.NewSecret());
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using var file = new FileStream(PathIn(dataPath), options);
            JsonSerializer.Serialize(file, client, CatWranglerJson.Options);
        }
        catch (IOException) when (TryLoad(dataPath) is { } raced)
        {
            return raced; // another serve on the same folder wrote it first
        }

        return client;
    }

    /// <summary>The stored client, or null when there is no readable one.</summary>
    public static DevelopmentClient? TryLoad(string dataPath)
    {
        try
        {
            var stored = JsonSerializer.Deserialize<DevelopmentClient>(File.ReadAllText(PathIn(dataPath)), CatWranglerJson.Options);
            return stored is { Client.Length: > 0, Secret.Length: > 0 } ? stored : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }
}
