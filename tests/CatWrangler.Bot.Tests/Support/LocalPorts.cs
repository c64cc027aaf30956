using CatWrangler.Adapters.Local;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;
using CatWrangler.TestSupport;

namespace CatWrangler.Bot.Tests.Support;

/// <summary>
/// The real embedded adapters (SQLite in a temp folder) behind the bot in tests of the bot alone, with views of what they
/// hold: assertions see exactly what a restart would find.
/// </summary>
internal sealed class LocalPorts : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("catwrangler-bot-").FullName;
    private readonly SqliteDatabase _database;
    private readonly StoredScans _stored;

    public LocalPorts()
    {
        _database = new SqliteDatabase(_dir);
        Store = new SqliteScanStore(_database, TimeProvider.System);
        Queue = new SqliteWorkQueue(_database, TimeProvider.System);
        _stored = new StoredScans(_database, Store);
    }

    public IScanStore Store { get; }

    public IWorkQueue Queue { get; }

    /// <summary>Every scan row.</summary>
    public IReadOnlyCollection<Scan> Scans => [.. _stored.Scans.Values];

    /// <summary>The pending jobs, oldest first.</summary>
    public IReadOnlyList<WorkItem> Jobs => new StoredJobs(_stored).Items;

    public void Dispose()
    {
        _database.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
