using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace CatWrangler.Adapters.Local;

/// <summary>
/// The embedded database file (scans, idempotency keys, jobs) under the data folder: WAL mode, full sync,
/// schema migrations numbered by <c>PRAGMA user_version</c>.
/// </summary>
/// <remarks>
/// Every write goes through one writer connection with group commit: the writes that arrive while a commit is being
/// synced share the next transaction, each inside its own savepoint, so one fsync acknowledges many uploads and
/// concurrent writers never wait in SQLite's sleeping busy handler. A write's task completes only after its commit is
/// durable. Reads use pooled connections beside it (WAL readers do not block the writer).
/// </remarks>
public sealed class SqliteDatabase : IDisposable
{
    /// <summary>Writes per transaction at most, so one commit cannot hold the rest back for long.</summary>
    private const int MaxWritesPerCommit = 256;

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
        """
        ALTER TABLE jobs ADD COLUMN payload TEXT;
        """,
        """
        CREATE INDEX scans_by_image ON scans(json_extract(body, '$.image.storageKey'));
        """,
    ];

    private readonly string _connectionString;
    private readonly Channel<PendingWrite> _writes = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _writerLock = new();
    private Thread? _writer;

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

    /// <summary>Transactions committed by the writer so far (each may carry many writes).</summary>
    public long Commits { get; private set; }

    /// <summary>An open pooled connection, for reads.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>
    /// Runs <paramref name="write"/> on the writer connection inside a savepoint of the next group commit. The task
    /// completes after the commit is durable; an exception thrown by <paramref name="write"/> undoes only its own changes.
    /// </summary>
    public Task<T> WriteAsync<T>(Func<SqliteWrite, T> write, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new PendingWrite<T>(write, cancellationToken);
        EnsureWriter();
        if (!_writes.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(SqliteDatabase));
        }

        return pending.Task;
    }

    /// <summary>Finishes the writes already submitted, then closes the writer connection.</summary>
    public void Dispose()
    {
        _writes.Writer.TryComplete();
        Thread? writer;
        lock (_writerLock)
        {
            writer = _writer;
        }

        writer?.Join();
    }

    private void EnsureWriter()
    {
        if (Volatile.Read(ref _writer) is not null)
        {
            return;
        }

        lock (_writerLock)
        {
            if (_writer is null)
            {
                var thread = new Thread(WriteLoop) { IsBackground = true, Name = "catwrangler-sqlite-writer" };
                thread.Start();
                Volatile.Write(ref _writer, thread);
            }
        }
    }

    private SqliteConnection OpenWriter()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        // FULL: a committed transaction survives power loss, not only a killed process.
        pragma.CommandText = "PRAGMA synchronous = FULL;";
        pragma.ExecuteNonQuery();
        return connection;
    }

    private void WriteLoop()
    {
        using var connection = OpenWriter();
        var batch = new List<PendingWrite>(MaxWritesPerCommit);
        while (_writes.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (batch.Count < MaxWritesPerCommit && _writes.Reader.TryRead(out var pending))
            {
                if (!pending.CancelIfRequested())
                {
                    batch.Add(pending);
                }
            }

            if (batch.Count > 0)
            {
                Commit(connection, batch);
                batch.Clear();
            }
        }
    }

    private void Commit(SqliteConnection connection, List<PendingWrite> batch)
    {
        try
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            var write = new SqliteWrite(transaction);
            foreach (var pending in batch)
            {
                transaction.Save("w");
                try
                {
                    pending.Run(write);
                }
                catch (Exception e)
                {
                    transaction.Rollback("w");
                    pending.Failed(e);
                }

                transaction.Release("w");
            }

            transaction.Commit();
            Commits++;
        }
        catch (Exception e)
        {
            // The commit itself failed (disk full, I/O error): nothing of this batch is durable.
            foreach (var pending in batch)
            {
                pending.Failed(e);
            }
        }

        foreach (var pending in batch)
        {
            pending.Publish();
        }
    }

    private void Migrate()
    {
        using var connection = OpenWriter();
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

    private abstract class PendingWrite
    {
        public abstract bool CancelIfRequested();

        public abstract void Run(SqliteWrite write);

        public abstract void Failed(Exception exception);

        public abstract void Publish();
    }

    private sealed class PendingWrite<T>(Func<SqliteWrite, T> write, CancellationToken cancellationToken) : PendingWrite
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T _result = default!;
        private Exception? _error;

        public Task<T> Task => _completion.Task;

        public override bool CancelIfRequested() => cancellationToken.IsCancellationRequested && _completion.TrySetCanceled(cancellationToken);

        public override void Run(SqliteWrite sqliteWrite) => _result = write(sqliteWrite);

        public override void Failed(Exception exception) => _error ??= exception;

        public override void Publish()
        {
            if (_error is null)
            {
                _completion.TrySetResult(_result);
            }
            else
            {
                _completion.TrySetException(_error);
            }
        }
    }
}
