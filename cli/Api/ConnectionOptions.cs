using System.CommandLine;
using CatWrangler.Cli.Serving;
using CatWrangler.Core;
using CatWrangler.Core.Security;

namespace CatWrangler.Cli.Api;

/// <summary>The <c>--url</c>, <c>--client</c>, <c>--secret</c> options shared by the client commands, with environment fallbacks.</summary>
public sealed class ConnectionOptions
{
    public Option<string?> Url { get; } = new("--url") { Description = $"Service base URL (env CATSCAN_URL; default {ApiConnection.DefaultUrl})" };
    public Option<string?> Client { get; } = new("--client") { Description = "Client id (env CATSCAN_CLIENT)" };
    public Option<string?> Secret { get; } = new("--secret") { Description = "Client secret, whsec_... (env CATSCAN_SECRET)" };

    public void AddTo(Command command)
    {
        command.Options.Add(Url);
        command.Options.Add(Client);
        command.Options.Add(Secret);
    }

    /// <summary>The connection, or a one-line reason why it cannot be built.</summary>
    public (ApiConnection? Connection, string? Error) Resolve(ParseResult parse)
        => Resolve(
            parse.GetValue(Url) ?? Environment.GetEnvironmentVariable("CATSCAN_URL"),
            parse.GetValue(Client) ?? Environment.GetEnvironmentVariable("CATSCAN_CLIENT"),
            parse.GetValue(Secret) ?? Environment.GetEnvironmentVariable("CATSCAN_SECRET"),
            Environment.GetEnvironmentVariable("CatWrangler__DataPath") ?? new CatWranglerOptions().DataPath);

    /// <summary>
    /// As above from plain values. With neither client nor secret given, the development client that <c>catscan serve</c>
    /// keeps in <paramref name="dataPath"/> is used, if there is one.
    /// </summary>
    public static (ApiConnection? Connection, string? Error) Resolve(string? url, string? client, string? secret, string dataPath)
    {
        url ??= ApiConnection.DefaultUrl;
        if (string.IsNullOrWhiteSpace(client) && string.IsNullOrWhiteSpace(secret) && DevelopmentClient.TryLoad(dataPath) is { } dev)
        {
            (client, secret) = (dev.Client, dev.Secret);
        }

        if (!Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("http" or "https"))
        {
            return (null, $"--url must be an http(s) URL, not '{url}'");
        }

        if (string.IsNullOrWhiteSpace(client) || string.IsNullOrWhiteSpace(secret))
        {
            return (null, $"missing credentials: pass --client and --secret, set CATSCAN_CLIENT and CATSCAN_SECRET, or run `catscan serve` from this folder first (it keeps a development client in {DevelopmentClient.PathIn(dataPath)})");
        }

        try
        {
            StandardWebhooksSignature.Sign(secret.Trim(), "probe", DateTimeOffset.UnixEpoch, []);
        }
        catch (FormatException)
        {
            return (null, "the secret must look like whsec_<base64>");
        }

        return (new ApiConnection(baseUrl, client.Trim(), secret.Trim()), null);
    }
}
