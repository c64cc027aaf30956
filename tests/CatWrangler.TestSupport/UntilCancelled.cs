namespace CatWrangler.TestSupport;

/// <summary>Stands in for work that never finishes on its own (a hung handler, a database that does not answer).</summary>
public static class UntilCancelled
{
    /// <summary>Completes only by being cancelled.</summary>
    public static Task WaitAsync(CancellationToken cancellationToken)
        => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously).Task.WaitAsync(cancellationToken);
}
