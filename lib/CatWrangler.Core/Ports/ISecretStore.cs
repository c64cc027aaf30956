namespace CatWrangler.Core.Ports;

/// <summary>
/// Port: secret values by configuration-style key (e.g. <c>CatWrangler:Slack:BotToken</c>,
/// <c>CatWrangler:Clients:acme:Secrets:0</c>). Both platforms read configuration; on AWS, SSM Parameter Store is one of its sources.
/// Values are never logged.
/// </summary>
public interface ISecretStore
{
    /// <summary>The value, or null when no such secret exists.</summary>
    ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken);
}
