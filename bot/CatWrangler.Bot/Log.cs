using Microsoft.Extensions.Logging;

namespace CatWrangler.Bot;

/// <summary>Source-generated log messages of the Slack bot host. Secrets and message texts are never logged.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Slack request refused: {Reason}")]
    public static partial void SignatureRejected(ILogger logger, string reason);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Slack event {EventId} is a duplicate (retry {RetryNum}); ignored")]
    public static partial void DuplicateEvent(ILogger logger, string eventId, string? retryNum);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Slack file {FileId} in {ChannelId} at {MessageTs} accepted as scan {ScanId}")]
    public static partial void ScanAccepted(ILogger logger, string fileId, string channelId, string? messageTs, string scanId);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "Slack file {FileId} in {ChannelId} already belongs to scan {ScanId}")]
    public static partial void DuplicateFile(ILogger logger, string fileId, string channelId, string scanId);
}
