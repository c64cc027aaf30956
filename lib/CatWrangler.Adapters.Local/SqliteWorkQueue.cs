using CatWrangler.Core.Ports;
using Microsoft.Data.Sqlite;

namespace CatWrangler.Adapters.Local;

/// <summary>A job leased by a local worker until <see cref="LeasedUntil"/>; after that it is visible again.</summary>
public sealed record LeasedJob(long JobId, WorkItem Item, int ReceiveCount, DateTimeOffset LeasedUntil);

/// <summary>
/// The durable work queue of the embedded default: a table with visibility times. Leasing a job pushes its
/// visibility forward and counts the receive; a heartbeat renews the lease while the job runs; completing deletes it.
/// A worker killed mid-job loses nothing: its short lease runs out and the job is leased again (at-least-once).
/// </summary>
public sealed class SqliteWorkQueue(SqliteDatabase database, TimeProvider time) : IWorkQueue
{
    private readonly SemaphoreSlim _signal = new(0, int.MaxValue);
    private int _waiting;

    public async Task EnqueueAsync(WorkItem item, TimeSpan delay, CancellationToken cancellationToken)
    {
        var visibleAt = (time.GetUtcNow() + delay).ToUnixTimeMilliseconds();
        await database.WriteAsync(write =>
        {
            using var command = write.Command("""
                INSERT INTO jobs (scan_id, kind, delivery_attempt, visible_at, payload) VALUES ($scan, $kind, $attempt, $visible, $payload)
                """);
            command.Parameters.AddWithValue("$scan", item.ScanId);
            command.Parameters.AddWithValue("$kind", item.Kind.ToString());
            command.Parameters.AddWithValue("$attempt", item.DeliveryAttempt);
            command.Parameters.AddWithValue("$visible", visibleAt);
            command.Parameters.AddWithValue("$payload", (object?)item.Payload ?? DBNull.Value);
            return command.ExecuteNonQuery();
        }, cancellationToken);
        if (delay <= TimeSpan.Zero)
        {
            _signal.Release();
        }
    }

    /// <summary>Leases the oldest visible job for <paramref name="visibility"/>, or returns null when none is visible.</summary>
    public Task<LeasedJob?> LeaseAsync(TimeSpan visibility, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var until = now + visibility;
        return database.WriteAsync(write =>
        {
            using var command = write.Command("""
                UPDATE jobs SET visible_at = $until, receive_count = receive_count + 1
                WHERE id = (SELECT id FROM jobs WHERE dead = 0 AND visible_at <= $now ORDER BY visible_at, id LIMIT 1)
                RETURNING id, scan_id, kind, delivery_attempt, receive_count, payload
                """);
            command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$until", until.ToUnixTimeMilliseconds());
            using var reader = command.ExecuteReader();
            if (!reader.Read())
            {
                return null;
            }

            var item = new WorkItem(reader.GetString(1), Enum.Parse<WorkKind>(reader.GetString(2)), reader.GetInt32(3), reader.IsDBNull(5) ? null : reader.GetString(5));
            return new LeasedJob(reader.GetInt64(0), item, reader.GetInt32(4), until);
        }, cancellationToken);
    }

    /// <summary>
    /// The heartbeat of a running job: pushes its lease to now + <paramref name="lease"/>. False when the worker no longer
    /// holds it (the lease ran out and another worker took the job: its receive count moved on).
    /// </summary>
    public async Task<bool> RenewAsync(LeasedJob job, TimeSpan lease, CancellationToken cancellationToken)
    {
        var until = (time.GetUtcNow() + lease).ToUnixTimeMilliseconds();
        var renewed = await database.WriteAsync(write =>
        {
            using var command = write.Command("UPDATE jobs SET visible_at = $until WHERE id = $id AND receive_count = $count AND dead = 0");
            command.Parameters.AddWithValue("$until", until);
            command.Parameters.AddWithValue("$id", job.JobId);
            command.Parameters.AddWithValue("$count", job.ReceiveCount);
            return command.ExecuteNonQuery();
        }, cancellationToken);
        return renewed == 1;
    }

    public Task CompleteAsync(LeasedJob job, CancellationToken cancellationToken)
        => ExecuteAsync("DELETE FROM jobs WHERE id = $id", job.JobId, null, cancellationToken);

    /// <summary>Makes the job visible again after <paramref name="delay"/>.</summary>
    public Task RetryAsync(LeasedJob job, TimeSpan delay, CancellationToken cancellationToken)
        => ExecuteAsync("UPDATE jobs SET visible_at = $value WHERE id = $id", job.JobId, (time.GetUtcNow() + delay).ToUnixTimeMilliseconds(), cancellationToken);

    /// <summary>Parks the job for good, keeping the error for an operator.</summary>
    public Task DeadLetterAsync(LeasedJob job, string error, CancellationToken cancellationToken)
        => ExecuteAsync("UPDATE jobs SET dead = 1, last_error = $value WHERE id = $id", job.JobId, error, cancellationToken);

    /// <summary>
    /// Gives every scan that is queued or processing but has no live job a new processing job: covers a crash between
    /// writing a scan and enqueuing its job. Any kind counts (a Slack <c>file_shared</c> scan waits for its share lookup,
    /// which queues the processing itself). Returns how many were re-enqueued.
    /// </summary>
    public async Task<int> RequeueOrphansAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var count = await database.WriteAsync(write =>
        {
            using var command = write.Command("""
                INSERT INTO jobs (scan_id, kind, delivery_attempt, visible_at)
                SELECT s.id, 'Process', 0, $now FROM scans s
                WHERE s.status IN ('queued', 'processing')
                  AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.scan_id = s.id AND j.dead = 0)
                """);
            command.Parameters.AddWithValue("$now", now);
            return command.ExecuteNonQuery();
        }, cancellationToken);
        if (count > 0)
        {
            _signal.Release(count);
        }

        return count;
    }

    /// <summary>How many callers are blocked in <see cref="WaitForWorkAsync"/> now (tests wait for idle workers with it).</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Waits until something was enqueued in this process or <paramref name="timeout"/> passes.</summary>
    public async Task WaitForWorkAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _waiting);
        try
        {
            await _signal.WaitAsync(timeout, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    private Task ExecuteAsync(string sql, long id, object? value, CancellationToken cancellationToken)
        => database.WriteAsync(write =>
        {
            using var command = write.Command(sql);
            command.Parameters.AddWithValue("$id", id);
            if (value is not null)
            {
                command.Parameters.AddWithValue("$value", value);
            }

            return command.ExecuteNonQuery();
        }, cancellationToken);
}
