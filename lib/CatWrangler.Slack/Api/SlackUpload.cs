namespace CatWrangler.Slack.Api;

/// <summary>A file to share into a thread: the bytes, how Slack should name and describe it, and the message text it carries.</summary>
public sealed record SlackUpload(string ChannelId, string ThreadTs, string FileName, string Title, string AltText, byte[] Bytes, string InitialComment);
