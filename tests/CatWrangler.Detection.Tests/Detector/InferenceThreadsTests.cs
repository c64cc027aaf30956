using CatWrangler.Detection.Onnx;

namespace CatWrangler.Detection.Tests.Detector;

/// <summary>Classification threads: idle scheduling when asked (so `catscan serve` keeps the cores for uploads), errors passed on.</summary>
public sealed class InferenceThreadsTests
{
    private const int SchedOther = 0;
    private const int SchedIdle = 5;

    [Fact]
    public async Task With_lower_priority_work_runs_under_the_idle_scheduling_policy()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "scheduling policies are read from Linux /proc");
        using var threads = new InferenceThreads(2, lowerPriority: true);

        var policies = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => threads.RunAsync(CurrentThreadPolicy)));

        Assert.All(policies, policy => Assert.Equal(SchedIdle, policy));
        Assert.Equal(SchedOther, CurrentThreadPolicy());
    }

    [Fact]
    public async Task Without_lower_priority_work_runs_under_the_normal_policy()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "scheduling policies are read from Linux /proc");
        using var threads = new InferenceThreads(1, lowerPriority: false);

        Assert.Equal(SchedOther, await threads.RunAsync(CurrentThreadPolicy));
    }

    [Fact]
    public async Task An_exception_reaches_the_caller_and_the_thread_keeps_working()
    {
        using var threads = new InferenceThreads(1, lowerPriority: false);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => threads.RunAsync<int>(() => throw new InvalidOperationException("bad image")));

        Assert.Equal("bad image", error.Message);
        Assert.Equal(42, await threads.RunAsync(() => 42));
    }

    /// <summary>Field 41 of /proc/thread-self/stat (counted after the command name) is the thread's scheduling policy.</summary>
    private static int CurrentThreadPolicy()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[41 - 3], System.Globalization.CultureInfo.InvariantCulture);
    }
}
