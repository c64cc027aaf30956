using System.Diagnostics;

namespace CatWrangler.TestSupport;

/// <summary>
/// The one place tests wait: reads state another thread or process changes (a background loop's write, a queue, a server
/// coming up) until it is what the test expects, and fails with the reason after a deadline. The deadline is an upper
/// bound for a slow machine, never a duration the test relies on.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(10);

    // Polls back off to this, so a long wait on a busy machine costs few reads (SQS receives, HTTP calls).
    private static readonly TimeSpan SlowestPoll = TimeSpan.FromMilliseconds(100);

    public static Task TrueAsync(Func<bool> condition, TimeSpan timeout, string because)
        => ValueAsync(() => Task.FromResult(condition()), done => done, timeout, because);

    public static Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string because)
        => ValueAsync(condition, done => done, timeout, because);

    /// <summary>
    /// Checks <paramref name="condition"/> all through <paramref name="window"/> and fails the moment it does not hold. Only
    /// for tests whose subject is time itself (a lease that must outlast a visibility timeout); everything else waits for
    /// the event it expects with <see cref="TrueAsync(Func{bool}, TimeSpan, string)"/>.
    /// </summary>
    public static async Task HoldsThroughoutAsync(Func<Task<bool>> condition, TimeSpan window, string because)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < window)
        {
            if (!await condition())
            {
                Xunit.Assert.Fail($"After {clock.Elapsed}, within {window}: {because}");
            }

            await Task.Delay(SlowestPoll, Xunit.TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Reads until <paramref name="accept"/> holds for what was read and returns that value.</summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T>> read, Func<T, bool> accept, TimeSpan timeout, string because)
    {
        var clock = Stopwatch.StartNew();
        var poll = FirstPoll;
        while (true)
        {
            var value = await read();
            if (accept(value))
            {
                return value;
            }

            if (clock.Elapsed > timeout)
            {
                Xunit.Assert.Fail($"Timed out after {timeout}: {because} (last seen: {value?.ToString() ?? "null"})");
            }

            await Task.Delay(poll, Xunit.TestContext.Current.CancellationToken);
            poll = TimeSpan.FromTicks(Math.Min(poll.Ticks * 2, SlowestPoll.Ticks));
        }
    }
}
