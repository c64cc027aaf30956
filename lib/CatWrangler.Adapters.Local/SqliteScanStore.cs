using System.Globalization;
using System.Text.Json;
using CatWrangler.Core.Json;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;
using Microsoft.Data.Sqlite;

namespace CatWrangler.Adapters.Local;

/// <summary>Scans as JSON documents with indexed columns for the list queries; idempotency keys beside them.</summary>
public sealed class SqliteScanStore(SqliteDatabase database, TimeProvider time) : IScanStore
{
    public Task<bool> TryCreateAsync(Scan scan, CancellationToken cancellationToken)
    {
        var body = Serialize(scan);
        return database.WriteAsync(write => Upsert(write, scan, body, "INSERT OR IGNORE") == 1, cancellationToken);
    }

    public async Task<Scan?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT body FROM scans WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        return await command.ExecuteScalarAsync(cancellationToken) is string body ? Deserialize(body) : null;
    }

    public Task SaveAsync(Scan scan, CancellationToken cancellationToken)
    {
        var body = Serialize(scan);
        return database.WriteAsync(write => Upsert(write, scan, body, "INSERT OR REPLACE"), cancellationToken);
    }

    public async Task<IReadOnlyList<Scan>> ListRecentAsync(ScanListQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        (command.CommandText, var value) = (query.ClientId, query.SlackChannelId) switch
        {
            ({ } client, null) => ("SELECT body FROM scans WHERE client_id = $v ORDER BY received_at DESC, id DESC LIMIT $limit", client),
            (null, { } channel) => ("SELECT body FROM scans WHERE slack_channel = $v ORDER BY received_at DESC, id DESC LIMIT $limit", channel),
            _ => throw new ArgumentException("Exactly one of ClientId and SlackChannelId must be set.", nameof(query)),
        };
        command.Parameters.AddWithValue("$v", value);
        command.Parameters.AddWithValue("$limit", Math.Clamp(query.Limit, 1, 1000));
        var result = new List<Scan>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(Deserialize(reader.GetString(0)));
        }

        return result;
    }

    public Task<IdempotencyClaim> ClaimAsync(
        string scope, string key, string fingerprint, string scanId, DateTimeOffset expiresAt, CancellationToken cancellationToken)
        => database.WriteAsync<IdempotencyClaim>(write =>
        {
            using (var existing = write.Command("SELECT fingerprint, scan_id FROM idempotency_keys WHERE scope = $scope AND key = $key AND expires_at > $now"))
            {
                existing.Parameters.AddWithValue("$scope", scope);
                existing.Parameters.AddWithValue("$key", key);
                existing.Parameters.AddWithValue("$now", Timestamp(time.GetUtcNow()));
                using var reader = existing.ExecuteReader();
                if (reader.Read())
                {
                    return new IdempotencyClaim.AlreadyClaimed(reader.GetString(1), reader.GetString(0) == fingerprint);
                }
            }

            using var claim = write.Command("""
                INSERT OR REPLACE INTO idempotency_keys (scope, key, fingerprint, scan_id, expires_at)
                VALUES ($scope, $key, $fingerprint, $scan, $expires)
                """);
            claim.Parameters.AddWithValue("$scope", scope);
            claim.Parameters.AddWithValue("$key", key);
            claim.Parameters.AddWithValue("$fingerprint", fingerprint);
            claim.Parameters.AddWithValue("$scan", scanId);
            claim.Parameters.AddWithValue("$expires", Timestamp(expiresAt));
            claim.ExecuteNonQuery();
            return new IdempotencyClaim.Claimed();
        }, cancellationToken);

    private static int Upsert(SqliteWrite write, Scan scan, string body, string verb)
    {
        using var command = write.Command($"""
            {verb} INTO scans (id, status, client_id, slack_channel, received_at, body)
            VALUES ($id, $status, $client, $channel, $received, $body)
            """);
        command.Parameters.AddWithValue("$id", scan.Id);
        command.Parameters.AddWithValue("$status", scan.Status.ToString().ToLowerInvariant());
        command.Parameters.AddWithValue("$client", (object?)scan.Source.Api?.ClientId ?? DBNull.Value);
        command.Parameters.AddWithValue("$channel", (object?)scan.Source.Slack?.ChannelId ?? DBNull.Value);
        command.Parameters.AddWithValue("$received", Timestamp(scan.ReceivedAt));
        command.Parameters.AddWithValue("$body", body);
        return command.ExecuteNonQuery();
    }

    /// <summary>Fixed-width UTC text, so string order is time order.</summary>
    internal static string Timestamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Serialized by the caller, so the single writer thread only runs SQL.</summary>
    private static string Serialize(Scan scan) => JsonSerializer.Serialize(scan, CatWranglerJson.Options.TypeInfo<Scan>());

    private static Scan Deserialize(string body)
        => JsonSerializer.Deserialize(body, CatWranglerJson.Options.TypeInfo<Scan>()) ?? throw new InvalidDataException("Empty scan record.");
}
