using System.Text.Json;
using CatWrangler.Adapters.Local;
using CatWrangler.Core.Json;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;

namespace CatWrangler.TestSupport;

/// <summary>What the real local adapters hold right now, read straight from the SQLite file.</summary>
public sealed class StoredScans(SqliteDatabase database, IScanStore store)
{
    public IReadOnlyDictionary<string, Scan> Scans => Query(
        "SELECT body FROM scans",
        r => JsonSerializer.Deserialize<Scan>(r.GetString(0), CatWranglerJson.Options)!).ToDictionary(s => s.Id);

    public Task SaveAsync(Scan scan, CancellationToken cancellationToken) => store.SaveAsync(scan, cancellationToken);

    public List<T> Query<T>(string sql, Func<Microsoft.Data.Sqlite.SqliteDataReader, T> read)
    {
        using var connection = database.OpenAsync(CancellationToken.None).GetAwaiter().GetResult();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}

/// <summary>The image files under the data folder.</summary>
public sealed class StoredImages(string dataPath, IImageStore store)
{
    public IReadOnlyDictionary<string, byte[]> Images
    {
        get
        {
            var root = Path.Combine(dataPath, "images");
            return Directory.Exists(root)
                ? Directory.GetFiles(root, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(dataPath, f), File.ReadAllBytes)
                : new Dictionary<string, byte[]>();
        }
    }

    public Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken) => store.GetAsync(key, cancellationToken);
}

/// <summary>The pending jobs of the SQLite work queue, oldest first.</summary>
public sealed class StoredJobs(StoredScans scans)
{
    public IReadOnlyList<WorkItem> Items => scans.Query(
        "SELECT scan_id, kind, delivery_attempt FROM jobs WHERE dead = 0 ORDER BY id",
        r => new WorkItem(r.GetString(0), Enum.Parse<WorkKind>(r.GetString(1)), r.GetInt32(2)));

    /// <summary>
    /// Waits until the queue holds no live job (none pending, none leased, none waiting for a retry): a worker has run
    /// everything it was given to its end, so a duplicate reply or delivery would already have happened.
    /// </summary>
    public Task DrainedAsync(TimeSpan timeout)
        => Eventually.TrueAsync(
            () => scans.Query("SELECT COUNT(*) FROM jobs WHERE dead = 0", r => r.GetInt64(0)).Single() == 0,
            timeout,
            "the local work queue did not drain");

    /// <summary>When the next pending job becomes visible; null when there is none.</summary>
    public DateTimeOffset? NextVisibleAt => scans.Query(
        "SELECT MIN(visible_at) FROM jobs WHERE dead = 0",
        r => r.IsDBNull(0) ? (DateTimeOffset?)null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(0))).Single();
}
