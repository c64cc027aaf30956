namespace CatWrangler.Bot.SocketMode;

/// <summary>What a connection tells the <see cref="SocketModeService"/>, which alone decides when to connect again.</summary>
internal sealed record SocketModeSignal(SocketModeConnection Connection, SocketModeSignalKind Kind, string Reason);

internal enum SocketModeSignalKind
{
    /// <summary>Slack asked for a new connection (<c>refresh_requested</c>, <c>warning</c>) or its expected lifetime is nearly over.</summary>
    RefreshWanted,

    /// <summary>Socket Mode was turned off in the app's settings: connecting again cannot work.</summary>
    LinkDisabled,

    /// <summary>The socket is gone (closed by either side or dropped); its in-flight envelopes are finished.</summary>
    Closed,
}
