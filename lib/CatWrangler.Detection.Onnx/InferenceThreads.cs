using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace CatWrangler.Detection.Onnx;

/// <summary>
/// Dedicated threads for classification. With <c>lowerPriority</c> they run under Linux's <c>SCHED_IDLE</c> policy: the
/// scheduler gives them only CPU time no normal thread wants, so in one process (<c>catscan serve</c>) a backlog of scans
/// never delays an upload's acknowledgement; on an idle machine it costs nothing. Threads that ONNX Runtime starts from one
/// of these threads inherit the policy.
/// </summary>
internal sealed partial class InferenceThreads : IDisposable
{
    private const int SchedIdle = 5;

    private readonly BlockingCollection<Action> _work = [];
    private readonly Thread[] _threads;
    private int _disposed;

    public InferenceThreads(int count, bool lowerPriority)
    {
        _threads = [.. Enumerable.Range(0, Math.Max(1, count)).Select(i => new Thread(() => Loop(lowerPriority)) { IsBackground = true, Name = $"cw-inference-{i}" })];
        foreach (var thread in _threads)
        {
            thread.Start();
        }
    }

    /// <summary>Runs <paramref name="work"/> on one of the threads.</summary>
    public Task<T> RunAsync<T>(Func<T> work)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Add(() =>
        {
            try
            {
                completion.SetResult(work());
            }
            catch (Exception e)
            {
                completion.SetException(e);
            }
        });
        return completion.Task;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _work.CompleteAdding();
        foreach (var thread in _threads)
        {
            thread.Join();
        }

        _work.Dispose();
    }

    private void Loop(bool lowerPriority)
    {
        if (lowerPriority && OperatingSystem.IsLinux())
        {
            // pid 0 is the calling thread: Linux schedules threads, not processes. Failure only costs priority.
            var parameters = 0;
            _ = SetScheduler(0, SchedIdle, ref parameters);
        }

        foreach (var work in _work.GetConsumingEnumerable())
        {
            work();
        }
    }

    [LibraryImport("libc", EntryPoint = "sched_setscheduler")]
    private static partial int SetScheduler(int pid, int policy, ref int parameters);
}
