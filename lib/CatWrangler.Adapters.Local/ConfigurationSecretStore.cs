using CatWrangler.Core.Ports;
using Microsoft.Extensions.Configuration;

namespace CatWrangler.Adapters.Local;

/// <summary>Secrets straight from configuration (appsettings, environment variables, command line).</summary>
public sealed class ConfigurationSecretStore(IConfiguration configuration) : ISecretStore
{
    public ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken) => ValueTask.FromResult(configuration[key]);
}
