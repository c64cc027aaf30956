using CatWrangler.Adapters.Local;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;

namespace CatWrangler.TestSupport;

/// <summary>
/// The real embedded adapters (SQLite and files in a temp folder) for tests that compose a piece of the product by hand,
/// with views of what they hold: assertions see exactly what a restart would find.
/// </summary>
public sealed class LocalPorts : IDisposable
{
    public LocalPorts(string prefix = "catwrangler-test-")
    {
        DataPath = Directory.CreateTempSubdirectory(prefix).FullName;
        Database = new SqliteDatabase(DataPath);
        Store = new SqliteScanStore(Database, TimeProvider.System);
        Queue = new SqliteWorkQueue(Database, TimeProvider.System);
        Images = new FileImageStore(DataPath);
        StoredScans = new StoredScans(Database, Store);
        StoredImages = new StoredImages(DataPath, Images);
        StoredJobs = new StoredJobs(StoredScans);
    }

    public string DataPath { get; }

    public SqliteDatabase Database { get; }

    public SqliteScanStore Store { get; }

    public SqliteWorkQueue Queue { get; }

    public FileImageStore Images { get; }

    public StoredScans StoredScans { get; }

    public StoredImages StoredImages { get; }

    public StoredJobs StoredJobs { get; }

    /// <summary>Every scan row.</summary>
    public IReadOnlyCollection<Scan> Scans => [.. StoredScans.Scans.Values];

    /// <summary>The pending jobs, oldest first.</summary>
    public IReadOnlyList<WorkItem> Jobs => StoredJobs.Items;

    public void Dispose()
    {
        Database.Dispose();
        Directory.Delete(DataPath, recursive: true);
    }
}
