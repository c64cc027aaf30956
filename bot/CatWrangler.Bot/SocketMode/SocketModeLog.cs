using Microsoft.Extensions.Logging;

namespace CatWrangler.Bot;

/// <summary>Socket Mode's log messages (event ids 41xx). Tokens and WebSocket URLs (they carry a ticket) are never logged.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Slack Socket Mode off: {Reason}")]
    public static partial void SocketModeOff(ILogger logger, string reason);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information,
        Message = "Slack Socket Mode connection {Connection} ready (host {Host}, {NumConnections} open, refresh expected after {ApproximateSeconds} s)")]
    public static partial void SocketModeConnected(ILogger logger, int connection, string? host, int? numConnections, int? approximateSeconds);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Information, Message = "Slack Socket Mode connection {Connection}: disconnect ({Reason}); opening its replacement")]
    public static partial void SocketModeRefresh(ILogger logger, int connection, string reason);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Warning, Message = "Slack Socket Mode connection {Connection} dropped: {Reason}")]
    public static partial void SocketModeDropped(ILogger logger, int connection, string reason);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Warning, Message = "Slack Socket Mode connection {Connection} could not be opened (failure {Failures}): {Error}")]
    public static partial void SocketModeConnectFailed(ILogger logger, int connection, int failures, string error);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Error, Message = "Slack Socket Mode stopped: {Reason}")]
    public static partial void SocketModeStopped(ILogger logger, string reason);

    [LoggerMessage(EventId = 4107, Level = LogLevel.Warning,
        Message = "Slack Socket Mode envelope {EnvelopeId} ({Type}, retry {RetryAttempt}) not acknowledged; Slack will redeliver it")]
    public static partial void SocketModeEnvelopeFailed(ILogger logger, Exception exception, string envelopeId, string? type, int retryAttempt);

    [LoggerMessage(EventId = 4108, Level = LogLevel.Information, Message = "Slack Socket Mode envelope {EnvelopeId} ({Type}) acknowledged without action: {Why}")]
    public static partial void SocketModeEnvelopeIgnored(ILogger logger, string? type, string envelopeId, string why);

    [LoggerMessage(EventId = 4109, Level = LogLevel.Warning, Message = "Slack Socket Mode connection {Connection}: a frame over {Limit} bytes; closing it")]
    public static partial void SocketModeFrameTooLarge(ILogger logger, int connection, int limit);

    [LoggerMessage(EventId = 4110, Level = LogLevel.Debug, Message = "Slack Socket Mode envelope {EnvelopeId} ({Type}, retry {RetryAttempt}) acknowledged")]
    public static partial void SocketModeAcked(ILogger logger, string envelopeId, string? type, int retryAttempt);

    [LoggerMessage(EventId = 4111, Level = LogLevel.Warning, Message = "Slack Socket Mode connection {Connection}: unreadable frame ignored")]
    public static partial void SocketModeBadFrame(ILogger logger, int connection);
}
