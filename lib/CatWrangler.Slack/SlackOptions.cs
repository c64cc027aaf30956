using Microsoft.Extensions.Configuration;

namespace CatWrangler.Slack;

/// <summary>Section <c>CatWrangler:Slack</c>. The signing secret and bot token are read through the secret store, not bound here.</summary>
public sealed record SlackOptions
{
    public const string Section = "CatWrangler:Slack";

    /// <summary>Secret-store key of the signing secret (Basic Information → Signing Secret).</summary>
    public const string SigningSecretKey = "CatWrangler:Slack:SigningSecret";

    /// <summary>Secret-store key of the bot token (<c>xoxb-…</c>).</summary>
    public const string BotTokenKey = "CatWrangler:Slack:BotToken";

    /// <summary>Secret-store key of the app-level token (<c>xapp-…</c>); when set, the bot also listens over Socket Mode.</summary>
    public const string AppTokenKey = "CatWrangler:Slack:AppToken";

    /// <summary>Base address of the Web API; tests point it at a fake Slack.</summary>
    public Uri ApiBaseUrl { get; init; } = new("https://slack.com/api/");

    /// <summary>Hosts a file may be downloaded from with the bot token (a host, or host:port).</summary>
    public IReadOnlyList<string> FileHosts { get; init; } = ["files.slack.com"];

    /// <summary>Slack user ids allowed to run <c>/catscan debug</c>.</summary>
    public IReadOnlyList<string> PowerUsers { get; init; } = [];

    /// <summary>Accepted clock difference between Slack's request timestamp and ours (Slack recommends five minutes).</summary>
    public TimeSpan SignatureTolerance { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a slash command may work inline before answering "working on it" and queuing the answer for the processor.</summary>
    public TimeSpan CommandInlineBudget { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>When a cat is found, the thread reply carries the picture with the boxes drawn (needs the <c>files:write</c> scope).</summary>
    public bool AnnotatedReplies { get; init; } = true;

    /// <summary>Reads the section; <see cref="FileHosts"/> falls back to Slack's file host only when none is configured.</summary>
    public static SlackOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var options = new SlackOptions();
        var hosts = section.GetSection(nameof(FileHosts)).Get<string[]>();
        var users = section.GetSection(nameof(PowerUsers)).Get<string[]>();
        return options with
        {
            ApiBaseUrl = section.GetValue<Uri?>(nameof(ApiBaseUrl)) is { } api ? WithTrailingSlash(api) : options.ApiBaseUrl,
            FileHosts = hosts is { Length: > 0 } ? hosts : options.FileHosts,
            PowerUsers = users ?? [],
            SignatureTolerance = section.GetValue(nameof(SignatureTolerance), options.SignatureTolerance),
            CommandInlineBudget = section.GetValue(nameof(CommandInlineBudget), options.CommandInlineBudget),
            AnnotatedReplies = section.GetValue(nameof(AnnotatedReplies), options.AnnotatedReplies),
        };
    }

    // HttpClient resolves "chat.postMessage" against ".../api" as ".../chat.postMessage" unless the base ends with a slash.
    private static Uri WithTrailingSlash(Uri uri)
        => uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
}
