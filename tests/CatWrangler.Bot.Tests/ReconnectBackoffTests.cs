using CatWrangler.Bot.SocketMode;

namespace CatWrangler.Bot.Tests;

public sealed class ReconnectBackoffTests
{
    private static readonly SocketModeOptions Options = new() { ReconnectDelay = TimeSpan.FromSeconds(1), MaxReconnectDelay = TimeSpan.FromSeconds(30) };

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(5, 16)]
    [InlineData(6, 30)]
    [InlineData(1000, 30)]
    public void The_wait_doubles_per_failure_up_to_the_cap_with_half_of_it_random(int failures, double stepSeconds)
    {
        var random = new Random(12345);
        var delays = Enumerable.Range(0, 500).Select(_ => ReconnectBackoff.Delay(failures, Options, random).TotalSeconds).ToList();

        Assert.All(delays, d => Assert.InRange(d, stepSeconds / 2, stepSeconds));
        // Jitter: the waits spread over the upper half of the step rather than repeating one value.
        Assert.True(delays.Max() - delays.Min() > stepSeconds / 4, $"spread {delays.Min()}–{delays.Max()}");
    }

    [Fact]
    public void No_failure_has_no_backoff() => Assert.Throws<ArgumentOutOfRangeException>(() => ReconnectBackoff.Delay(0, Options, Random.Shared));
}
