namespace CatWrangler.TestSupport;

/// <summary>Waits for state another thread changes (a background loop's write) instead of sleeping a fixed time.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, TimeSpan timeout, string because)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Xunit.Assert.Fail($"Timed out after {timeout}: {because}");
            }

            await Task.Delay(20, Xunit.TestContext.Current.CancellationToken);
        }
    }
}
