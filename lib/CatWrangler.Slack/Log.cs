using Microsoft.Extensions.Logging;

namespace CatWrangler.Slack;

/// <summary>Source-generated log messages of the Slack integration. Secrets and message texts are never logged.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "Slack file {FileId} (scan {ScanId}): no share in channel {ChannelId} yet (receive {ReceiveCount})")]
    public static partial void ShareNotFound(ILogger logger, string fileId, string scanId, string channelId, int receiveCount);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Warning, Message = "Slack reaction {Name} on scan {ScanId} failed: {Error}")]
    public static partial void ReactionFailed(ILogger logger, string name, string scanId, string error);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Error, Message = "Slack reply for scan {ScanId} could not be posted")]
    public static partial void ReplyFailed(ILogger logger, Exception exception, string scanId);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Information, Message = "Slack reply for scan {ScanId} was posted before; not repeated")]
    public static partial void ReplyAlreadyPosted(ILogger logger, string scanId);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Warning, Message = "Deferred /catscan answer could not be delivered (receive {ReceiveCount})")]
    public static partial void DeferredCommandFailed(ILogger logger, Exception exception, int receiveCount);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Warning, Message = "Slack files.info for {FileId} failed (receive {ReceiveCount}): {Error}")]
    public static partial void FileInfoFailed(ILogger logger, string fileId, int receiveCount, string error);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Error, Message = "/catscan could not be answered")]
    public static partial void CommandFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Warning, Message = "Deferred /catscan answer refused by Slack (HTTP {Status}); the response URL is spent or expired")]
    public static partial void DeferredCommandRefused(ILogger logger, int status);

    [LoggerMessage(EventId = 4013, Level = LogLevel.Information, Message = "Slack file {FileId} (scan {ScanId}) is in message {MessageTs} of {ChannelId}; processing queued")]
    public static partial void ShareFound(ILogger logger, string fileId, string scanId, string messageTs, string channelId);

    [LoggerMessage(EventId = 4014, Level = LogLevel.Warning, Message = "Slack scan {ScanId} has no message to answer in; reply and reactions skipped")]
    public static partial void NoMessageToAnswer(ILogger logger, string scanId);
}
