using System.Collections.Concurrent;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;

namespace CatWrangler.Bot.Tests.Support;

/// <summary>Test double of the scan store for tests that exercise the bot alone (the e2e tests use the real SQLite store).</summary>
internal sealed class InMemoryScanStore : IScanStore
{
    private readonly ConcurrentDictionary<string, Scan> scans = new();
    private readonly ConcurrentDictionary<(string, string), (string ScanId, string Fingerprint)> claims = new();

    public IReadOnlyCollection<Scan> All => scans.Values.ToList();

    public Task<bool> TryCreateAsync(Scan scan, CancellationToken cancellationToken) => Task.FromResult(scans.TryAdd(scan.Id, scan));

    public Task<Scan?> GetAsync(string id, CancellationToken cancellationToken) => Task.FromResult(scans.GetValueOrDefault(id));

    public Task SaveAsync(Scan scan, CancellationToken cancellationToken)
    {
        scans[scan.Id] = scan;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Scan>> ListRecentAsync(ScanListQuery query, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<Scan>>(scans.Values
            .Where(s => query.SlackChannelId is null || s.Source.Slack?.ChannelId == query.SlackChannelId)
            .Where(s => query.ClientId is null || s.Source.Api?.ClientId == query.ClientId)
            .OrderByDescending(s => s.ReceivedAt).ThenByDescending(s => s.Id, StringComparer.Ordinal)
            .Take(query.Limit).ToList());

    public Task<IdempotencyClaim> ClaimAsync(string scope, string key, string fingerprint, string scanId, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        IdempotencyClaim result = claims.TryAdd((scope, key), (scanId, fingerprint))
            ? new IdempotencyClaim.Claimed()
            : new IdempotencyClaim.AlreadyClaimed(claims[(scope, key)].ScanId, claims[(scope, key)].Fingerprint == fingerprint);
        return Task.FromResult(result);
    }
}

internal sealed class RecordingQueue : IWorkQueue
{
    public ConcurrentQueue<WorkItem> Items { get; } = new();

    public Task EnqueueAsync(WorkItem item, TimeSpan delay, CancellationToken cancellationToken)
    {
        Items.Enqueue(item);
        return Task.CompletedTask;
    }
}

internal sealed class DictionarySecretStore(IReadOnlyDictionary<string, string?> values) : ISecretStore
{
    public ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken) => ValueTask.FromResult(values.GetValueOrDefault(key));
}
