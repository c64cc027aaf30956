namespace CatWrangler.Core.Ports;

/// <summary>
/// Port: secret values by configuration-style key (e.g. <c>CatWrangler:Slack:BotToken</c>,
/// <c>CatWrangler:Clients:acme:Secrets:0</c>). Configuration on the embedded default, SSM Parameter Store on AWS.
/// Values are never logged.
/// </summary>
public interface ISecretStore
{
    /// <summary>The value, or null when no such secret exists.</summary>
    ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken);
}
