using CatWrangler.Adapters.Local;

namespace CatWrangler.Pipeline.Tests.Storage;

/// <summary>The single-writer group commit of <see cref="SqliteDatabase"/>.</summary>
public sealed class SqliteGroupCommitTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("catwrangler-commit-").FullName;
    private readonly SqliteDatabase _database;

    public SqliteGroupCommitTests() => _database = new SqliteDatabase(_dir);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _database.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Writes_that_arrive_while_a_commit_runs_share_the_next_one()
    {
        using var release = new ManualResetEventSlim();
        var blocker = BlockWriter(release, "first");

        var writes = Enumerable.Range(0, 100).Select(i => _database.WriteAsync(write => Insert(write, $"key{i}"), Ct)).ToList();
        release.Set();
        await Task.WhenAll(writes.Append(blocker));

        Assert.Equal(101, (await KeysAsync()).Count);
        Assert.Equal(2, _database.Commits); // the blocked write's, then one for the hundred that waited
    }

    [Fact]
    public async Task A_failing_write_undoes_only_its_own_changes_and_reports_its_own_error()
    {
        using var release = new ManualResetEventSlim();
        var blocker = BlockWriter(release, "blocker");
        var good = _database.WriteAsync(write => Insert(write, "good"), Ct);
        var bad = _database.WriteAsync<int>(write =>
        {
            Insert(write, "bad");
            throw new InvalidOperationException("boom");
        }, Ct);
        var after = _database.WriteAsync(write => Insert(write, "after"), Ct);
        release.Set();

        await Task.WhenAll(blocker, good, after);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => bad);
        Assert.Equal("boom", error.Message);
        Assert.Equal(["after", "blocker", "good"], await KeysAsync());
    }

    [Fact]
    public async Task A_write_cancelled_before_its_turn_is_not_applied()
    {
        using var release = new ManualResetEventSlim();
        using var cancel = new CancellationTokenSource();
        var blocker = BlockWriter(release, "blocker");
        var cancelled = _database.WriteAsync(write => Insert(write, "cancelled"), cancel.Token);
        await cancel.CancelAsync();
        release.Set();

        await blocker;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Equal(["blocker"], await KeysAsync());
    }

    [Fact]
    public async Task Acknowledged_writes_are_in_the_file_for_a_new_reader()
    {
        await _database.WriteAsync(write => Insert(write, "durable"), Ct);
        _database.Dispose();

        using var reopened = new SqliteDatabase(_dir);
        await using var connection = await reopened.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM idempotency_keys WHERE key = 'durable'";
        Assert.Equal(1L, await command.ExecuteScalarAsync(Ct));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => _database.WriteAsync(write => Insert(write, "late"), Ct));
    }

    private static int Insert(SqliteWrite write, string key)
    {
        using var command = write.Command("INSERT INTO idempotency_keys (scope, key, fingerprint, scan_id, expires_at) VALUES ('test', $key, 'f', 's', '9999')");
        command.Parameters.AddWithValue("$key", key);
        return command.ExecuteNonQuery();
    }

    /// <summary>A write that holds the writer thread until <paramref name="release"/> is set; returns once it is running.</summary>
    private Task<int> BlockWriter(ManualResetEventSlim release, string key)
    {
        using var started = new ManualResetEventSlim();
        var blocker = _database.WriteAsync(write =>
        {
            started.Set();
            release.Wait(Ct);
            return Insert(write, key);
        }, Ct);
        Assert.True(started.Wait(TimeSpan.FromSeconds(10), Ct), "the writer did not start the blocking write");
        return blocker;
    }

    private async Task<List<string>> KeysAsync()
    {
        await using var connection = await _database.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT key FROM idempotency_keys ORDER BY key";
        var keys = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }
}
