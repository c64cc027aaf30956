using System.Text.Json;
using System.Text.Json.Nodes;
using CatWrangler.TestSupport;

namespace CatWrangler.Aws.Tests.Contracts.SdkOracle;

/// <summary>
/// The official AWS SDK for JavaScript (<c>@aws-sdk/client-rekognition</c>, pinned in package-lock.json) as the oracle of
/// our Rekognition client: the same inputs go through the SDK with a recording request handler, a frozen clock and the
/// same credentials (see rekognition-oracle.mjs). Installed once into artifacts/rekognition-sdk-oracle.
/// </summary>
public sealed class RekognitionSdkOracle
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _home;

    /// <summary>Runs the cases (objects with a <c>kind</c>, see the script) through the SDK and returns one result each.</summary>
    public async Task<IReadOnlyList<JsonObject>> AskAsync(IEnumerable<JsonObject> cases)
    {
        var home = await InstallAsync();
        var input = new JsonObject { ["cases"] = new JsonArray([.. cases]) }.ToJsonString();
        var (code, stdout, stderr) = await NpmPackages.RunAsync(home, input, "node", "rekognition-oracle.mjs");
        if (code != 0)
        {
            throw new InvalidOperationException($"The SDK oracle failed ({code}): {stderr}");
        }

        var results = JsonNode.Parse(stdout)?["results"]?.AsArray()
            ?? throw new InvalidOperationException("The SDK oracle wrote no results: " + stdout);
        return [.. results.Select(r => r!.AsObject())];
    }

    private async Task<string> InstallAsync()
    {
        await _gate.WaitAsync();
        try
        {
            return _home ??= await NpmPackages.InstallAsync(Path.Combine(AppContext.BaseDirectory, "Contracts", "SdkOracle"), "rekognition-sdk-oracle", ["rekognition-oracle.mjs"]);
        }
        finally
        {
            _gate.Release();
        }
    }

    public static JsonObject Case(string kind, object properties)
    {
        var node = JsonSerializer.SerializeToNode(properties)!.AsObject();
        node["kind"] = kind;
        return node;
    }
}
