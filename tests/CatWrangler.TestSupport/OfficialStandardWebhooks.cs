using System.Text.Json;
using System.Text.Json.Nodes;

namespace CatWrangler.TestSupport;

/// <summary>
/// The official Standard Webhooks JS library (npm <c>standardwebhooks</c>, pinned in StandardWebhooksJs/package-lock.json)
/// as an oracle the product did not write: it signs requests as a third-party client would and verifies callbacks.
/// Like every Standard Webhooks library it signs a string payload.
/// </summary>
public static class OfficialStandardWebhooks
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _home;

    /// <summary>The <c>webhook-signature</c> value the library computes for <paramref name="payload"/>.</summary>
    public static async Task<string> SignAsync(string secret, string id, DateTimeOffset timestamp, string payload)
    {
        var answer = await CallAsync(new JsonObject
        {
            ["op"] = "sign",
            ["secret"] = secret,
            ["id"] = id,
            ["timestamp"] = timestamp.ToUnixTimeSeconds(),
            ["payload"] = payload,
        });
        return answer["signature"]!.GetValue<string>();
    }

    /// <summary>Null when the library accepts the signed message; else its error message.</summary>
    public static async Task<string?> VerifyAsync(string secret, IReadOnlyDictionary<string, string> headers, string payload)
    {
        var headerObject = new JsonObject();
        foreach (var (name, value) in headers)
        {
            headerObject[name] = value;
        }

        var answer = await CallAsync(new JsonObject { ["op"] = "verify", ["secret"] = secret, ["headers"] = headerObject, ["payload"] = payload });
        return answer["ok"]!.GetValue<bool>() ? null : answer["error"]!.GetValue<string>();
    }

    private static async Task<JsonNode> CallAsync(JsonObject request)
    {
        var home = await InstallAsync();
        var (code, stdout, stderr) = await NpmPackages.RunAsync(home, request.ToJsonString(), "node", "oracle.js");
        if (code != 0)
        {
            throw new InvalidOperationException($"standardwebhooks oracle failed ({code}): {stdout}{stderr}");
        }

        return JsonNode.Parse(stdout) ?? throw new JsonException("empty oracle answer");
    }

    private static async Task<string> InstallAsync()
    {
        await Gate.WaitAsync();
        try
        {
            return _home ??= await NpmPackages.InstallAsync(Path.Combine(AppContext.BaseDirectory, "StandardWebhooksJs"), "standardwebhooks", ["oracle.js"]);
        }
        finally
        {
            Gate.Release();
        }
    }
}
