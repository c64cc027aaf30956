using Xunit;

namespace CatWrangler.TestSupport;

/// <summary>Waits for a condition that has no event to await (state inside a server), with a deadline.</summary>
public static class Poll
{
    public static async Task UntilAsync(Func<bool> condition, TimeSpan patience, string what, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"{what} did not happen within {patience.TotalSeconds:0} s");
            await Task.Delay(10, cancellationToken);
        }
    }
}
