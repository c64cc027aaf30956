namespace CatWrangler.Core.Ports;

/// <summary>One unit of work for the processor.</summary>
/// <param name="ScanId">The scan the work is about (for <see cref="WorkKind.SlackCommand"/>: a fresh id naming the answer).</param>
/// <param name="Kind">What to do.</param>
/// <param name="DeliveryAttempt">For <see cref="WorkKind.Callback"/>: which delivery attempt this is (1-based).</param>
/// <param name="Payload">What a kind needs beyond a scan id (a deferred slash command's text and response URL), as JSON.</param>
public sealed record WorkItem(string ScanId, WorkKind Kind, int DeliveryAttempt = 0, string? Payload = null);
