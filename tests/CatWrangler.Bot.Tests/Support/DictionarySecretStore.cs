using CatWrangler.Core.Ports;

namespace CatWrangler.Bot.Tests.Support;

/// <summary>Secrets from the test's configuration dictionary (what the local platform's configuration secret store does).</summary>
internal sealed class DictionarySecretStore(IReadOnlyDictionary<string, string?> values) : ISecretStore
{
    public ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken) => ValueTask.FromResult(values.GetValueOrDefault(key));
}
