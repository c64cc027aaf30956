namespace CatWrangler.Webhooks;

/// <summary>Source-generated log messages of the scan API. Secrets and signatures are never arguments.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Scan {ScanId} accepted from client {ClientId} ({Bytes} bytes, replayed: {Replayed})")]
    public static partial void ScanAccepted(ILogger logger, string scanId, string clientId, long bytes, bool replayed);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Upload from client {ClientId} rejected: {Reason}")]
    public static partial void UploadRejected(ILogger logger, string clientId, string reason);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Request from client {ClientId} not authenticated: {Reason} ({Suppressed} similar lines suppressed before this one)")]
    public static partial void AuthenticationFailed(ILogger logger, string clientId, string reason, long suppressed);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Client {ClientId} reused webhook-id {WebhookId} with other content (scan {ExistingScanId})")]
    public static partial void IdempotencyConflict(ILogger logger, string clientId, string webhookId, string existingScanId);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Information, Message = "Client {ClientId} rate limited")]
    public static partial void RateLimited(ILogger logger, string clientId);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "Client {ClientId} has no secrets configured under {SecretKeyPrefix}")]
    public static partial void ClientWithoutSecrets(ILogger logger, string clientId, string secretKeyPrefix);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Debug, Message = "Upload from client {ClientId} aborted by the caller")]
    public static partial void UploadAborted(ILogger logger, string clientId);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Warning, Message = "Upload from client {ClientId} not stored: storage is full")]
    public static partial void StorageFull(ILogger logger, string clientId);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Information, Message = "Upload slot {UploadId} created for client {ClientId}")]
    public static partial void UploadSlotCreated(ILogger logger, string uploadId, string clientId);
}
