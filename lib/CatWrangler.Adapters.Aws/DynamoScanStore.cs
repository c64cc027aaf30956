using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;

namespace CatWrangler.Adapters.Aws;

/// <summary>
/// Scans and idempotency keys in one DynamoDB table (design in docs/aws.md):
/// <list type="bullet">
/// <item>scan: <c>pk = SCAN#{id}</c>, <c>sk = SCAN</c>, <c>scan</c> (JSON), <c>status</c>, <c>expiresAt</c>, and for the
/// "recent scans" index <c>gsi1pk = CLIENT#{client}</c> or <c>SLACK#{channel}</c>, <c>gsi1sk = {receivedAt}#{id}</c>;</item>
/// <item>idempotency key: <c>pk = IDEM#{scope}#{key}</c>, <c>sk = IDEM</c>, <c>scanId</c>, <c>fingerprint</c>, <c>expiresAt</c>.</item>
/// </list>
/// <c>expiresAt</c> (epoch seconds) is the table's TTL attribute; TTL itself is enabled by Terraform.
/// </summary>
public sealed class DynamoScanStore(IAmazonDynamoDB dynamo, AwsOptions options, TimeProvider time) : IScanStore
{
    public const string RecentIndexName = "gsi1";
    private const string ScanSortKey = "SCAN";
    private const string ClaimSortKey = "IDEM";

    public async Task<bool> TryCreateAsync(Scan scan, CancellationToken cancellationToken)
    {
        try
        {
            await dynamo.PutItemAsync(new PutItemRequest
            {
                TableName = options.TableName,
                Item = ToItem(scan),
                ConditionExpression = "attribute_not_exists(pk)",
            }, cancellationToken);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    public async Task<Scan?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var response = await dynamo.GetItemAsync(new GetItemRequest
        {
            TableName = options.TableName,
            Key = Key(ScanPk(id), ScanSortKey),
            ConsistentRead = true,
        }, cancellationToken);

        // SDK v4 leaves Item null (not empty) when there is no such item.
        return response.Item is { Count: > 0 } item && item.TryGetValue("scan", out var json)
            ? ScanItemCodec.Deserialize(json.S)
            : null;
    }

    public Task SaveAsync(Scan scan, CancellationToken cancellationToken)
        => dynamo.PutItemAsync(new PutItemRequest { TableName = options.TableName, Item = ToItem(scan) }, cancellationToken);

    public async Task<IReadOnlyList<Scan>> ListRecentAsync(ScanListQuery query, CancellationToken cancellationToken)
    {
        var partition = (query.ClientId, query.SlackChannelId) switch
        {
            ({ } client, null) => ClientPartition(client),
            (null, { } channel) => ChannelPartition(channel),
            _ => throw new ArgumentException("Exactly one of ClientId and SlackChannelId must be set.", nameof(query)),
        };

        var response = await dynamo.QueryAsync(new QueryRequest
        {
            TableName = options.TableName,
            IndexName = RecentIndexName,
            KeyConditionExpression = "gsi1pk = :p",
            ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":p"] = new() { S = partition } },
            ScanIndexForward = false,
            Limit = Math.Clamp(query.Limit, 1, 100),
        }, cancellationToken);

        return response.Items is null
            ? []
            : [.. response.Items.Where(i => i.ContainsKey("scan")).Select(i => ScanItemCodec.Deserialize(i["scan"].S))];
    }

    public async Task<IdempotencyClaim> ClaimAsync(string scope, string key, string fingerprint, string scanId, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var pk = ClaimPk(scope, key);
        try
        {
            await dynamo.PutItemAsync(new PutItemRequest
            {
                TableName = options.TableName,
                Item = new Dictionary<string, AttributeValue>
                {
                    ["pk"] = new() { S = pk },
                    ["sk"] = new() { S = ClaimSortKey },
                    ["scanId"] = new() { S = scanId },
                    ["fingerprint"] = new() { S = fingerprint },
                    ["expiresAt"] = Epoch(expiresAt),
                },
                // TTL deletion lags expiry by up to days: an expired claim counts as free.
                ConditionExpression = "attribute_not_exists(pk) OR expiresAt < :now",
                ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":now"] = Epoch(time.GetUtcNow()) },
            }, cancellationToken);
            return new IdempotencyClaim.Claimed();
        }
        catch (ConditionalCheckFailedException)
        {
            var existing = await dynamo.GetItemAsync(new GetItemRequest
            {
                TableName = options.TableName,
                Key = Key(pk, ClaimSortKey),
                ConsistentRead = true,
            }, cancellationToken);
            if (existing.Item is not { Count: > 0 } item)
            {
                // Deleted between our put and get (TTL sweep): try again once more from the top.
                return await ClaimAsync(scope, key, fingerprint, scanId, expiresAt, cancellationToken);
            }

            return new IdempotencyClaim.AlreadyClaimed(item["scanId"].S, string.Equals(item["fingerprint"].S, fingerprint, StringComparison.Ordinal));
        }
    }

    public static string ScanPk(string id) => "SCAN#" + id;

    public static string ClaimPk(string scope, string key) => $"IDEM#{scope}#{key}";

    public static string ClientPartition(string clientId) => "CLIENT#" + clientId;

    public static string ChannelPartition(string channelId) => "SLACK#" + channelId;

    private static Dictionary<string, AttributeValue> ToItem(Scan scan)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            ["pk"] = new() { S = ScanPk(scan.Id) },
            ["sk"] = new() { S = ScanSortKey },
            ["status"] = new() { S = scan.Status.ToString().ToLowerInvariant() },
            ["scan"] = new() { S = ScanItemCodec.Serialize(scan) },
            ["expiresAt"] = Epoch(scan.ExpiresAt),
        };

        var partition = scan.Source switch
        {
            { Api: { } api } => ClientPartition(api.ClientId),
            { Slack: { } slack } => ChannelPartition(slack.ChannelId),
            _ => null,
        };
        if (partition is not null)
        {
            item["gsi1pk"] = new() { S = partition };
            item["gsi1sk"] = new() { S = scan.ReceivedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture) + "#" + scan.Id };
        }

        return item;
    }

    private static Dictionary<string, AttributeValue> Key(string pk, string sk)
        => new() { ["pk"] = new() { S = pk }, ["sk"] = new() { S = sk } };

    private static AttributeValue Epoch(DateTimeOffset at)
        => new() { N = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) };
}
