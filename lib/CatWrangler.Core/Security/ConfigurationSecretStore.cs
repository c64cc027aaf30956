using CatWrangler.Core.Ports;
using Microsoft.Extensions.Configuration;

namespace CatWrangler.Core.Security;

/// <summary>
/// Secrets straight from configuration, read on every call: appsettings, environment variables and the command line on
/// the embedded default; on AWS the SSM parameter source adds (and periodically re-reads) Parameter Store values.
/// </summary>
public sealed class ConfigurationSecretStore(IConfiguration configuration) : ISecretStore
{
    public ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken) => ValueTask.FromResult(configuration[key]);
}
