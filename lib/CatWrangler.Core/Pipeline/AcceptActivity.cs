namespace CatWrangler.Core.Pipeline;

/// <summary>
/// When the accept paths (API uploads, Slack events) last took something in. A processor in the same process
/// (<c>catscan serve</c>) reads it to leave the cores to callers who are waiting for a <c>202</c>: classification is
/// asynchronous, an acknowledgement is not.
/// </summary>
public sealed class AcceptActivity(TimeProvider time)
{
    /// <summary>How long after the last accept the accept path still counts as busy.</summary>
    public static readonly TimeSpan BusyWindow = TimeSpan.FromMilliseconds(500);

    private long _lastAccept;

    public void Accepting() => Volatile.Write(ref _lastAccept, time.GetTimestamp());

    public bool IsBusy => Volatile.Read(ref _lastAccept) is var last and not 0 && time.GetElapsedTime(last) < BusyWindow;
}
