using Microsoft.Data.Sqlite;

namespace CatWrangler.Adapters.Local;

/// <summary>
/// The embedded database file (scans, idempotency keys, jobs) under the data folder: WAL mode, full sync,
/// schema migrations numbered by <c>PRAGMA user_version</c>.
/// </summary>
public sealed class SqliteDatabase
{
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE scans (
            id TEXT PRIMARY KEY,
            status TEXT NOT NULL,
            client_id TEXT,
            slack_channel TEXT,
            received_at TEXT NOT NULL,
            body TEXT NOT NULL);
        CREATE INDEX scans_by_client ON scans(client_id, received_at DESC);
        CREATE INDEX scans_by_channel ON scans(slack_channel, received_at DESC);
        CREATE INDEX scans_by_status ON scans(status);
        CREATE TABLE idempotency_keys (
            scope TEXT NOT NULL,
            key TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            scan_id TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            PRIMARY KEY (scope, key));
        CREATE TABLE jobs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            scan_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            delivery_attempt INTEGER NOT NULL,
            visible_at INTEGER NOT NULL,
            receive_count INTEGER NOT NULL DEFAULT 0,
            dead INTEGER NOT NULL DEFAULT 0,
            last_error TEXT);
        CREATE INDEX jobs_ready ON jobs(dead, visible_at);
        CREATE INDEX jobs_by_scan ON jobs(scan_id);
        """,
    ];

    private readonly string _connectionString;

    public SqliteDatabase(string dataPath)
    {
        Directory.CreateDirectory(dataPath);
        FilePath = Path.GetFullPath(Path.Combine(dataPath, "catwrangler.db"));
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        Migrate();
    }

    public string FilePath { get; }

    /// <summary>An open connection with this project's per-connection settings.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        using var pragma = connection.CreateCommand();
        // FULL: a committed transaction survives power loss, not only a killed process.
        pragma.CommandText = "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    private void Migrate()
    {
        using var connection = OpenAsync(CancellationToken.None).GetAwaiter().GetResult();
        using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            wal.ExecuteNonQuery();
        }

        using var transaction = connection.BeginTransaction();
        using var version = connection.CreateCommand();
        version.Transaction = transaction;
        version.CommandText = "PRAGMA user_version;";
        var current = Convert.ToInt32(version.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        if (current > Migrations.Length)
        {
            throw new InvalidOperationException(
                $"{FilePath} has schema version {current}, newer than this build knows ({Migrations.Length}). Use a newer catscan.");
        }

        for (var v = current; v < Migrations.Length; v++)
        {
            using var migrate = connection.CreateCommand();
            migrate.Transaction = transaction;
            migrate.CommandText = Migrations[v] + $"\nPRAGMA user_version = {v + 1};";
            migrate.ExecuteNonQuery();
        }

        transaction.Commit();
    }
}
