using Microsoft.Extensions.Configuration;

namespace CatWrangler.Bot.SocketMode;

/// <summary>
/// Section <c>CatWrangler:Slack:SocketMode</c>: how the Socket Mode connection behaves. Whether it runs at all is decided by
/// the app-level token (<see cref="SlackOptions.AppTokenKey"/>, read through the secret store).
/// </summary>
public sealed record SocketModeOptions
{
    public const string Section = "CatWrangler:Slack:SocketMode";

    private const int MinMessageBytes = 16 * 1024;

    /// <summary>First wait before reconnecting after a dropped socket or a failed attempt; doubles per failure, with jitter.</summary>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between reconnection attempts.</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Time for the WebSocket handshake plus Slack's <c>hello</c>; a connection without one is given up.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Ping interval; a connection whose pong does not come back within the same time is dropped and replaced.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Largest frame accepted; Slack's envelopes are a few kilobytes (the HTTP endpoints' limit applies).</summary>
    public int MaxMessageBytes { get; init; } = Security.SlackRequestReader.MaxBodyBytes;

    /// <summary>Envelopes handled at once on one connection; further frames wait (Slack redelivers what is not acked in time).</summary>
    public int MaxConcurrentEnvelopes { get; init; } = 16;

    /// <summary>On shutdown or after a refresh, how long envelopes already received may take to finish and be acknowledged.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Reads the section; a value that would make the connection loop spin or never work stops the start-up.</summary>
    public static SocketModeOptions From(IConfiguration configuration)
    {
        var options = configuration.GetSection(Section).Get<SocketModeOptions>() ?? new SocketModeOptions();
        Require(options.ReconnectDelay > TimeSpan.Zero, nameof(ReconnectDelay), "must be positive");
        Require(options.MaxReconnectDelay >= options.ReconnectDelay, nameof(MaxReconnectDelay), $"must be at least {nameof(ReconnectDelay)}");
        Require(options.ConnectTimeout > TimeSpan.Zero, nameof(ConnectTimeout), "must be positive");
        Require(options.KeepAliveInterval > TimeSpan.Zero, nameof(KeepAliveInterval), "must be positive");
        Require(options.MaxMessageBytes >= MinMessageBytes, nameof(MaxMessageBytes), $"must be at least {MinMessageBytes} (Slack's envelopes are a few kilobytes)");
        Require(options.MaxConcurrentEnvelopes >= 1, nameof(MaxConcurrentEnvelopes), "must be at least 1");
        Require(options.DrainTimeout >= TimeSpan.Zero, nameof(DrainTimeout), "must not be negative");
        return options;
    }

    private static void Require(bool condition, string key, string rule)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"{Section}:{key} {rule}.");
        }
    }
}
