namespace CatWrangler.Adapters.Aws.Configuration;

/// <summary>Which SSM parameters become configuration, and how often they are read again.</summary>
/// <param name="Prefix">Stripped from every name: <c>{prefix}/CatWrangler/Slack/BotToken</c> is <c>CatWrangler:Slack:BotToken</c>.</param>
/// <param name="Paths">Hierarchies under the prefix read recursively (<c>GetParametersByPath</c>), e.g. <c>CatWrangler/Clients</c>.</param>
/// <param name="Names">Single parameters under the prefix (<c>GetParameters</c>), for a host allowed one secret of a hierarchy.</param>
/// <param name="ReloadInterval">Time between reads; a rotated secret or a new client takes effect within it.</param>
public sealed record SsmParameterSettings(string Prefix, IReadOnlyList<string> Paths, IReadOnlyList<string> Names, TimeSpan ReloadInterval)
{
    /// <summary>More than this many parameters is a configuration mistake, not something to hold in memory.</summary>
    public const int MaxParameters = 10_000;

    public string FullName(string relative) => Prefix.TrimEnd('/') + "/" + relative.Trim('/');

    /// <summary><c>{prefix}/CatWrangler/Clients/acme/Scopes/0</c> → <c>CatWrangler:Clients:acme:Scopes:0</c>; null outside the prefix.</summary>
    public string? KeyOf(string parameterName)
    {
        var root = Prefix.TrimEnd('/') + "/";
        return parameterName.StartsWith(root, StringComparison.Ordinal) && parameterName.Length > root.Length
            ? parameterName[root.Length..].Replace('/', ':')
            : null;
    }
}
