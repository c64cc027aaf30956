namespace CatWrangler.Bot.SocketMode;

/// <summary>
/// Wait before the next connection attempt: doubling from <see cref="SocketModeOptions.ReconnectDelay"/> per consecutive
/// failure up to <see cref="SocketModeOptions.MaxReconnectDelay"/>, half of it random ("equal jitter"), so bots restarted
/// together spread out while each still waits at least half a step. The count resets once a connection says <c>hello</c>.
/// </summary>
internal static class ReconnectBackoff
{
    public static TimeSpan Delay(int failures, SocketModeOptions options, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failures, 1);
        var step = options.ReconnectDelay.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 30));
        var capped = Math.Min(step, options.MaxReconnectDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds((capped / 2) + (random.NextDouble() * capped / 2));
    }
}
