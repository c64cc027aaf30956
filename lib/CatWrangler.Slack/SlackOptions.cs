using System.ComponentModel.DataAnnotations;

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

    /// <summary>Where files are downloaded from when <see cref="FileHosts"/> names none.</summary>
    public const string DefaultFileHost = "files.slack.com";

    /// <summary>Base address of the Web API; tests point it at a fake Slack.</summary>
    [Required]
    public Uri ApiBaseUrl { get; init; } = new("https://slack.com/api/");

    /// <summary>Hosts a file may be downloaded from with the bot token (a host, or host:port); none configured means <see cref="DefaultFileHost"/>.</summary>
    public IReadOnlyList<string> FileHosts { get; init; } = [];

    /// <summary>Slack user ids allowed to run <c>/catscan debug</c>; read on each command, so a change in SSM applies without a restart.</summary>
    public IReadOnlyList<string> PowerUsers { get; init; } = [];

    /// <summary>Accepted clock difference between Slack's request timestamp and ours (Slack recommends five minutes).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan SignatureTolerance { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a slash command may work inline before answering "working on it" and queuing the answer for the processor.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:03")]
    public TimeSpan CommandInlineBudget { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>When a cat is found, the thread reply carries the picture with the boxes drawn (needs the <c>files:write</c> scope).</summary>
    public bool AnnotatedReplies { get; init; } = true;

    /// <summary>The bound section as used: <see cref="FileHosts"/> falls back to <see cref="DefaultFileHost"/>, the API base ends with a slash.</summary>
    public SlackOptions WithDefaults() => this with
    {
        ApiBaseUrl = WithTrailingSlash(ApiBaseUrl),
        FileHosts = FileHosts.Count > 0 ? FileHosts : [DefaultFileHost],
    };

    // HttpClient resolves "chat.postMessage" against ".../api" as ".../chat.postMessage" unless the base ends with a slash.
    private static Uri WithTrailingSlash(Uri uri)
        => uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
}
