namespace CatWrangler.Core.Scans;

/// <param name="MessageTs">The message carrying the file; null until found for a file seen only in a <c>file_shared</c> event.</param>
public sealed record SlackOrigin(
    string TeamId,
    string ChannelId,
    string UserId,
    string FileId,
    string? MessageTs,
    string? ThreadTs,
    string? EventId,
    string? FileName = null,
    string? MimeType = null,
    long? FileSize = null);
