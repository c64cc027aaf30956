using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Microsoft.Extensions.Configuration;

namespace CatWrangler.Adapters.Aws.Configuration;

/// <summary>
/// The one place secrets and per-client settings are read from SSM on AWS. Loaded once when the host's configuration
/// is built (a host that cannot read its parameters fails at start, with the SDK's error) and then every
/// <see cref="SsmParameterSettings.ReloadInterval"/>; a failed reload keeps the values it has and reports the error, so
/// a short SSM outage never takes a host's secrets away. Readers see a reload as a configuration change.
/// </summary>
public sealed class SsmParameterConfigurationProvider : ConfigurationProvider, IDisposable
{
    private readonly IAmazonSimpleSystemsManagement _ssm;
    private readonly SsmParameterSettings _settings;
    private readonly Action<Exception> _reloadFailed;
    private readonly ITimer _timer;
    private int _reloading;

    public SsmParameterConfigurationProvider(IAmazonSimpleSystemsManagement ssm, SsmParameterSettings settings, TimeProvider time, Action<Exception> reloadFailed)
    {
        _ssm = ssm;
        _settings = settings;
        _reloadFailed = reloadFailed;
        _timer = time.CreateTimer(_ => _ = ReloadAsync(), null, settings.ReloadInterval, settings.ReloadInterval);
    }

    /// <summary>Completes when a reload has run (for callers that must see a rotation now, and for tests).</summary>
    public event Action? Reloaded;

    public override void Load() => Data = ReadAllAsync(CancellationToken.None).GetAwaiter().GetResult();

    public void Dispose()
    {
        _timer.Dispose();
        _ssm.Dispose();
    }

    private async Task ReloadAsync()
    {
        if (Interlocked.Exchange(ref _reloading, 1) == 1)
        {
            return; // the previous read is still running
        }

        try
        {
            var data = await ReadAllAsync(CancellationToken.None);
            if (!SameAs(data))
            {
                Data = data;
                OnReload();
            }
        }
        catch (Exception e)
        {
            _reloadFailed(e);
        }
        finally
        {
            Volatile.Write(ref _reloading, 0);
            Reloaded?.Invoke();
        }
    }

    private async Task<Dictionary<string, string?>> ReadAllAsync(CancellationToken cancellationToken)
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var path in _settings.Paths)
        {
            string? next = null;
            do
            {
                var page = await _ssm.GetParametersByPathAsync(new GetParametersByPathRequest
                {
                    Path = _settings.FullName(path),
                    Recursive = true,
                    WithDecryption = true,
                    NextToken = next,
                }, cancellationToken);
                Add(data, page.Parameters);
                next = page.NextToken;
            }
            while (!string.IsNullOrEmpty(next));
        }

        foreach (var names in _settings.Names.Chunk(10))
        {
            var found = await _ssm.GetParametersAsync(new GetParametersRequest
            {
                Names = [.. names.Select(_settings.FullName)],
                WithDecryption = true,
            }, cancellationToken);
            Add(data, found.Parameters);
        }

        return data;
    }

    private void Add(Dictionary<string, string?> data, List<Parameter>? parameters)
    {
        foreach (var parameter in parameters ?? [])
        {
            if (_settings.KeyOf(parameter.Name) is { } key)
            {
                data[key] = parameter.Value;
            }
        }

        if (data.Count > SsmParameterSettings.MaxParameters)
        {
            throw new InvalidOperationException(
                $"More than {SsmParameterSettings.MaxParameters} SSM parameters under {_settings.Prefix}; narrow CatWrangler:Aws:ParameterPaths.");
        }
    }

    private bool SameAs(Dictionary<string, string?> data)
        => data.Count == Data.Count && data.All(pair => Data.TryGetValue(pair.Key, out var value) && value == pair.Value);
}
