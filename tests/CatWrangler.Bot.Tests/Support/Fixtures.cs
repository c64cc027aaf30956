namespace CatWrangler.Bot.Tests.Support;

/// <summary>One Slack file as the fixtures describe it.</summary>
internal sealed record SlackFileSpec(
    string FileId,
    string Name,
    string MimeType,
    long Size,
    string Channel = Fixtures.Channel,
    string Ts = "1764310000.000100",
    string ChannelType = "channel")
{
    public string FileType => MimeType switch { "image/jpeg" => "jpg", "image/png" => "png", "application/pdf" => "pdf", _ => "binary" };

    public string DownloadPath => $"/files-pri/T0CATS-{FileId}/download/{Name}";
}

/// <summary>Loads the JSON payloads under Fixtures/ and fills in their placeholders.</summary>
internal static class Fixtures
{
    public const string TeamId = "T0CATS";
    public const string Channel = "C0GENERAL";
    public const string Alice = "U0ALICE";
    public const string BotUser = "U0CATBOT";

    public static string Load(string name, IReadOnlyDictionary<string, string> values)
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));
        foreach (var (key, value) in values)
        {
            text = text.Replace("{{" + key + "}}", value, StringComparison.Ordinal);
        }

        return text.Contains("{{", StringComparison.Ordinal) ? throw new InvalidOperationException($"Unfilled placeholder in {name}: {text}") : text;
    }

    public static string FileShare(SlackFileSpec file, string eventId, string filesBaseUrl)
        => Load("event_message_file_share.json", Values(file, eventId, filesBaseUrl));

    public static string FileShared(SlackFileSpec file, string eventId)
        => Load("event_file_shared.json", new Dictionary<string, string>
        {
            ["channel"] = file.Channel,
            ["file_id"] = file.FileId,
            ["event_id"] = eventId,
            ["event_ts"] = "1764310001.000200",
        });

    public static string FilesInfo(SlackFileSpec file, string filesBaseUrl)
        => Load("files_info.json", Values(file, "", filesBaseUrl));

    public static string Simple(string name, string channel, string fileId, string eventId)
        => Load(name, new Dictionary<string, string>
        {
            ["channel"] = channel,
            ["file_id"] = fileId,
            ["event_id"] = eventId,
            ["ts"] = "1764310005.000300",
        });

    private static Dictionary<string, string> Values(SlackFileSpec file, string eventId, string filesBaseUrl) => new()
    {
        ["file_id"] = file.FileId,
        ["name"] = file.Name,
        ["mimetype"] = file.MimeType,
        ["filetype"] = file.FileType,
        ["size"] = file.Size.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["files"] = filesBaseUrl.TrimEnd('/'),
        ["ts"] = file.Ts,
        ["channel"] = file.Channel,
        ["channel_type"] = file.ChannelType,
        ["event_id"] = eventId,
        ["is_public"] = file.ChannelType == "channel" ? "true" : "false",
        ["share_kind"] = file.ChannelType == "channel" ? "public" : "private",
    };
}
