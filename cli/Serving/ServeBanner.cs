using System.Text;

namespace CatWrangler.Cli.Serving;

/// <summary>What <c>catscan serve</c> prints once it listens: where, which API clients, what to type next, and Slack's state.</summary>
public static class ServeBanner
{
    /// <param name="devClient">The development client made or reused at this start, if any.</param>
    public static string Text(string baseUrl, string dataPath, IReadOnlyList<string> clients, DevelopmentClient? devClient, bool production, string slackMode)
    {
        var text = new StringBuilder();
        text.AppendLine($"catscan serve: listening on {baseUrl}, data in {dataPath}");
        var urlExport = baseUrl == Api.ApiConnection.DefaultUrl ? "" : $"export CATSCAN_URL={baseUrl}\n  ";
        if (devClient is not null)
        {
            text.AppendLine($"API client '{devClient.Client}' for development (secret kept in {DevelopmentClient.PathIn(dataPath)}):");
            text.AppendLine($"  {urlExport}export CATSCAN_CLIENT={devClient.Client}");
            text.AppendLine($"  export CATSCAN_SECRET={devClient.Secret}");
            text.AppendLine("Next, in another terminal in this folder (submit and status also find that file by themselves):");
            text.AppendLine("  dotnet run --project cli -- submit --wait photo.jpg");
        }
        else if (clients.Count > 0)
        {
            text.AppendLine($"API clients: {string.Join(", ", clients)}");
            text.AppendLine("Next, in another terminal:");
            text.AppendLine($"  {urlExport}export CATSCAN_CLIENT={clients[0]} CATSCAN_SECRET=<its whsec_ secret>");
            text.AppendLine("  dotnet run --project cli -- submit --wait photo.jpg");
        }
        else
        {
            text.AppendLine(production
                ? "API clients: none (production: no development client is made; set CatWrangler__Clients__<id>__Secrets__0=whsec_…)"
                : "API clients: none (set CatWrangler__Clients__<id>__Secrets__0=whsec_…)");
        }

        text.AppendLine($"Slack: {slackMode}");
        return text.ToString();
    }
}
