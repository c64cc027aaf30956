using System.Collections.Concurrent;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using CatWrangler.Core.Ports;
using Microsoft.Extensions.Configuration;

namespace CatWrangler.Adapters.Aws;

/// <summary>
/// Secrets from SSM Parameter Store (SecureString, decrypted on read), cached for
/// <see cref="AwsOptions.SecretCacheDuration"/> including "no such parameter" answers, so per-request lookups
/// (several secret slots per API client) do not each cost an SSM call.
/// A value set in configuration wins: that is for running the aws platform against emulators (no SSM emulator exists);
/// on Lambda keep secrets out of the environment.
/// </summary>
public sealed class SsmSecretStore(IAmazonSimpleSystemsManagement ssm, IConfiguration configuration, AwsOptions options, TimeProvider time) : ISecretStore
{
    private readonly ConcurrentDictionary<string, (string? Value, DateTimeOffset LoadedAt)> _cache = new(StringComparer.Ordinal);

    /// <summary><c>CatWrangler:Clients:acme:Secrets:0</c> → <c>{prefix}/CatWrangler/Clients/acme/Secrets/0</c>.</summary>
    public static string ParameterName(string prefix, string key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        return prefix.TrimEnd('/') + "/" + key.Replace(':', '/');
    }

    public async ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken)
    {
        if (configuration[key] is { Length: > 0 } configured)
        {
            return configured;
        }

        var now = time.GetUtcNow();
        if (_cache.TryGetValue(key, out var cached) && now - cached.LoadedAt < options.SecretCacheDuration)
        {
            return cached.Value;
        }

        string? value;
        try
        {
            var response = await ssm.GetParameterAsync(new GetParameterRequest
            {
                Name = ParameterName(options.ParameterPrefix, key),
                WithDecryption = true,
            }, cancellationToken);
            value = response.Parameter?.Value;
        }
        catch (ParameterNotFoundException)
        {
            value = null;
        }

        _cache[key] = (value, now);
        return value;
    }
}
