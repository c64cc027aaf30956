using System.Collections.Concurrent;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;
using Microsoft.Extensions.Configuration;

namespace CatWrangler.Pipeline.Tests.Api;

// In-test doubles of the ports, used until the local adapters exist on this branch.
public sealed class InMemoryImageStore : IImageStore
{
    public ConcurrentDictionary<string, byte[]> Images { get; } = new();

    public Task<string> PutAsync(string sha256, string contentType, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        Images[sha256] = bytes.ToArray();
        return Task.FromResult(sha256);
    }

    public Task<byte[]?> GetAsync(string storageKey, CancellationToken cancellationToken)
        => Task.FromResult(Images.TryGetValue(storageKey, out var bytes) ? bytes : null);
}

public sealed class InMemoryScanStore : IScanStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (string Fingerprint, string ScanId)> _claims = [];

    public ConcurrentDictionary<string, Scan> Scans { get; } = new();

    public Task<bool> TryCreateAsync(Scan scan, CancellationToken cancellationToken) => Task.FromResult(Scans.TryAdd(scan.Id, scan));

    public Task<Scan?> GetAsync(string id, CancellationToken cancellationToken) => Task.FromResult(Scans.GetValueOrDefault(id));

    public Task SaveAsync(Scan scan, CancellationToken cancellationToken)
    {
        Scans[scan.Id] = scan;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Scan>> ListRecentAsync(ScanListQuery query, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<Scan>>([.. Scans.Values.Where(s => s.Source.Api?.ClientId == query.ClientId).OrderByDescending(s => s.Id).Take(query.Limit)]);

    public Task<IdempotencyClaim> ClaimAsync(string scope, string key, string fingerprint, string scanId, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_claims.TryGetValue(scope + "\n" + key, out var existing))
            {
                return Task.FromResult<IdempotencyClaim>(new IdempotencyClaim.AlreadyClaimed(existing.ScanId, existing.Fingerprint == fingerprint));
            }

            _claims[scope + "\n" + key] = (fingerprint, scanId);
            return Task.FromResult<IdempotencyClaim>(new IdempotencyClaim.Claimed());
        }
    }
}

public sealed class InMemoryWorkQueue : IWorkQueue
{
    public ConcurrentQueue<WorkItem> Items { get; } = new();

    public Task EnqueueAsync(WorkItem item, TimeSpan delay, CancellationToken cancellationToken)
    {
        Items.Enqueue(item);
        return Task.CompletedTask;
    }
}

public sealed class ConfigurationSecrets(IConfiguration configuration) : ISecretStore
{
    public ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken) => ValueTask.FromResult(configuration[key]);
}
