namespace CatWrangler.Slack.Api;

/// <summary>Slack wire shape (only the fields CatWrangler reads or writes).</summary>
public sealed record SlackFileShares
{
    public IReadOnlyDictionary<string, IReadOnlyList<SlackShare>>? Public { get; init; }
    public IReadOnlyDictionary<string, IReadOnlyList<SlackShare>>? Private { get; init; }

    /// <summary>The first share of the file in <paramref name="channel"/>, public or private.</summary>
    public SlackShare? In(string channel)
        => (Public?.GetValueOrDefault(channel) ?? Private?.GetValueOrDefault(channel))?.FirstOrDefault();
}
