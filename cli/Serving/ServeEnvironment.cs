using CatWrangler.Core;

namespace CatWrangler.Cli.Serving;

/// <summary>What <c>catscan serve</c> decides from its configuration before it starts: production or not, how Slack is reached.</summary>
public static class ServeEnvironment
{
    /// <summary>
    /// Production means the AWS platform, or an environment named "Production" explicitly (ASPNETCORE_ENVIRONMENT,
    /// DOTNET_ENVIRONMENT or --environment). ASP.NET Core also calls an unnamed environment Production, but a fresh
    /// checkout names none, and that is exactly the machine a development client is for.
    /// </summary>
    public static bool IsProduction(IConfiguration configuration)
        => string.Equals(configuration[HostDefaults.EnvironmentKey], Environments.Production, StringComparison.OrdinalIgnoreCase)
            || CatWranglerOptions.PlatformOf(configuration) == CatWranglerPlatform.Aws;

    /// <summary>"off (why)", "Socket Mode …" or "HTTP …": how this process talks to Slack, from which settings are present.</summary>
    public static string SlackMode(IConfiguration configuration, string baseUrl)
    {
        var bot = !string.IsNullOrWhiteSpace(configuration["CatWrangler:Slack:BotToken"]);
        var signing = !string.IsNullOrWhiteSpace(configuration["CatWrangler:Slack:SigningSecret"]);
        var app = !string.IsNullOrWhiteSpace(configuration["CatWrangler:Slack:AppToken"]);
        if (!bot)
        {
            return "off (CatWrangler__Slack__BotToken is not set; docs/slack.md explains how to create the app)";
        }

        if (app)
        {
            return "Socket Mode (CatWrangler__Slack__AppToken is set: no public URL needed)";
        }

        return signing
            ? $"HTTP (Slack must reach {baseUrl}/slack/events and /slack/commands over public HTTPS, e.g. through a tunnel; or set CatWrangler__Slack__AppToken for Socket Mode)"
            : "off (CatWrangler__Slack__SigningSecret is not set, so no Slack request can be verified; or set CatWrangler__Slack__AppToken for Socket Mode)";
    }
}
