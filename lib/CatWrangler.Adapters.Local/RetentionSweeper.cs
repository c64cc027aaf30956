namespace CatWrangler.Adapters.Local;

/// <summary>
/// The embedded default's counterpart of DynamoDB TTL and the S3 lifecycle: deletes scans whose <c>expiresAt</c> has
/// passed (with their jobs), idempotency claims past their <c>expires_at</c>, and the images of deleted scans that no
/// remaining scan references (content-addressed images are shared), and the annotated pictures of deleted scans. It
/// also walks a few image folders per sweep, in rotation, for images no scan references at all (a crash between storing
/// an image and accepting its scan). Deletes go through the one writer in batches of
/// <see cref="RetentionSweepOptions.BatchSize"/>; the searches run on read connections beside it. One sweep at a time
/// (the hosted service's loop).
/// </summary>
public sealed class RetentionSweeper(SqliteDatabase database, FileImageStore images, RetentionSweepOptions options, TimeProvider time)
{
    private const string ScanExpired = "julianday(json_extract(body, '$.expiresAt')) <= julianday($now)";

    /// <summary>A scan's image key as the <c>scans_by_image</c> index covers it; queries must spell it exactly so, or SQLite scans the table.</summary>
    public const string ImageKeyExpression = "json_extract(body, '$.image.storageKey')";

    private int _nextShard;

    public async Task<RetentionSweepResult> SweepAsync(CancellationToken cancellationToken)
    {
        var total = RetentionSweepResult.None;
        var batchSize = Math.Max(1, options.BatchSize);
        while (true)
        {
            var now = time.GetUtcNow();
            var expired = await ExpiredScansAsync(now, batchSize, cancellationToken);
            var deleted = expired.Count == 0 ? [] : await DeleteScansAsync(expired, now, cancellationToken);
            foreach (var id in deleted)
            {
                images.DeleteAnnotated(id);
            }

            var claims = await DeleteClaimsAsync(now, batchSize, cancellationToken);
            var removedImages = 0;
            foreach (var key in expired.Select(e => e.ImageKey).OfType<string>().Distinct(StringComparer.Ordinal))
            {
                if (!await IsReferencedAsync(key, cancellationToken) && images.DeleteIfUnusedSince(key, now - options.ImageGrace))
                {
                    removedImages++;
                }
            }

            total = total.Plus(new RetentionSweepResult(deleted.Count, claims, removedImages));
            if (expired.Count < batchSize && claims < batchSize)
            {
                var orphans = await SweepOrphanedImagesAsync(time.GetUtcNow() - options.ImageGrace, batchSize, cancellationToken);
                return total.Plus(new RetentionSweepResult(0, 0, orphans));
            }
        }
    }

    private async Task<int> SweepOrphanedImagesAsync(DateTimeOffset unusedSince, int batchSize, CancellationToken cancellationToken)
    {
        var removed = 0;
        for (var i = 0; i < Math.Clamp(options.OrphanShardsPerSweep, 0, FileImageStore.ShardCount); i++)
        {
            var shard = _nextShard;
            _nextShard = (shard + 1) % FileImageStore.ShardCount;
            foreach (var keys in images.KeysInShard(shard, unusedSince).Chunk(batchSize))
            {
                var referenced = await ReferencedAsync(keys, cancellationToken);
                removed += keys.Count(key => !referenced.Contains(key) && images.DeleteIfUnusedSince(key, unusedSince));
            }
        }

        return removed;
    }

    /// <summary>Which of <paramref name="keys"/> some scan still references (one indexed lookup for the batch).</summary>
    private async Task<HashSet<string>> ReferencedAsync(string[] keys, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var names = keys.Select((_, i) => $"$k{i}").ToArray();
        command.CommandText = $"SELECT DISTINCT {ImageKeyExpression} FROM scans WHERE {ImageKeyExpression} IN ({string.Join(", ", names)})";
        for (var i = 0; i < keys.Length; i++)
        {
            command.Parameters.AddWithValue(names[i], keys[i]);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            referenced.Add(reader.GetString(0));
        }

        return referenced;
    }

    private async Task<List<(string Id, string? ImageKey)>> ExpiredScansAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT id, {ImageKeyExpression} FROM scans WHERE {ScanExpired} LIMIT $limit";
        command.Parameters.AddWithValue("$now", SqliteScanStore.Timestamp(now));
        command.Parameters.AddWithValue("$limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<(string, string?)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
        }

        return rows;
    }

    /// <returns>The ids of the scans deleted (still expired when the writer got to them).</returns>
    private Task<List<string>> DeleteScansAsync(List<(string Id, string? ImageKey)> expired, DateTimeOffset now, CancellationToken cancellationToken)
        => database.WriteAsync(write =>
        {
            var deleted = new List<string>();
            using var scan = write.Command($"DELETE FROM scans WHERE id = $id AND {ScanExpired}");
            using var jobs = write.Command("DELETE FROM jobs WHERE scan_id = $id");
            foreach (var (id, _) in expired)
            {
                scan.Parameters.Clear();
                scan.Parameters.AddWithValue("$id", id);
                scan.Parameters.AddWithValue("$now", SqliteScanStore.Timestamp(now));
                if (scan.ExecuteNonQuery() > 0)
                {
                    deleted.Add(id);
                }

                jobs.Parameters.Clear();
                jobs.Parameters.AddWithValue("$id", id);
                jobs.ExecuteNonQuery();
            }

            return deleted;
        }, cancellationToken);

    private Task<int> DeleteClaimsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
        => database.WriteAsync(write =>
        {
            using var command = write.Command("""
                DELETE FROM idempotency_keys WHERE rowid IN (SELECT rowid FROM idempotency_keys WHERE expires_at <= $now LIMIT $limit)
                """);
            command.Parameters.AddWithValue("$now", SqliteScanStore.Timestamp(now));
            command.Parameters.AddWithValue("$limit", limit);
            return command.ExecuteNonQuery();
        }, cancellationToken);

    private async Task<bool> IsReferencedAsync(string imageKey, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT 1 FROM scans WHERE {ImageKeyExpression} = $key LIMIT 1";
        command.Parameters.AddWithValue("$key", imageKey);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }
}
