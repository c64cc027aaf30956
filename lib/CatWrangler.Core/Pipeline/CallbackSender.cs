using System.Globalization;
using System.Text.Json;
using CatWrangler.Core.Json;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;
using CatWrangler.Core.Security;
using Microsoft.Extensions.Logging;

namespace CatWrangler.Core.Pipeline;

/// <summary>
/// Delivers the signed <c>scan.completed</c> callback of an API scan. The schedule is the retry policy: each failed
/// attempt is recorded on the scan and the next one is enqueued with its delay (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, then
/// every 10 h, or later when the receiver's <c>Retry-After</c> asks for it) until 24 h after the first attempt. <c>2xx</c>
/// is success, <c>410 Gone</c> stops, a <c>3xx</c> is a failed attempt (redirects are never followed). Every attempt
/// carries the same <c>webhook-id</c> and the same body (its <c>timestamp</c> is the scan's completion), so receivers can
/// drop duplicates (delivery is at-least-once); only <c>webhook-timestamp</c> and the signature are per attempt.
/// </summary>
public sealed partial class CallbackSender(
    IScanStore scans,
    IWorkQueue queue,
    ISecretStore secrets,
    CallbackUrlPolicy urlPolicy,
    ICallbackTransport transport,
    TimeProvider time,
    ILogger<CallbackSender> logger)
{
    public const string EventType = "scan.completed";

    public static readonly IReadOnlyList<TimeSpan> Schedule =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(2), TimeSpan.FromHours(5), TimeSpan.FromHours(10),
    ];

    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromHours(24);

    public static string WebhookId(string scanId) => "cb_" + scanId;

    /// <summary>Delay before attempt <paramref name="nextAttempt"/> (2-based: attempt 1 runs at once).</summary>
    public static TimeSpan DelayBefore(int nextAttempt) => Schedule[Math.Min(nextAttempt - 2, Schedule.Count - 1)];

    /// <summary>
    /// The callback body: the scan as its owner sees it at completion. Delivery attempts are left out, so every attempt
    /// sends the same bytes.
    /// </summary>
    public static byte[] Payload(Scan scan, ApiOrigin api) => JsonSerializer.SerializeToUtf8Bytes(
        new CallbackPayload(EventType, scan.CompletedAt ?? scan.ReceivedAt, ScanView.From(scan with { Deliveries = [] }, includeDebug: api.DebugRequested)),
        CatWranglerJson.Options.TypeInfo<CallbackPayload>());

    public async Task<WorkOutcome> DeliverAsync(WorkItem item, CancellationToken cancellationToken)
    {
        var scan = await scans.GetAsync(item.ScanId, cancellationToken);
        if (scan?.Source.Api is not { CallbackUrl: { Length: > 0 } url } api || !scan.IsTerminal
            || scan.Deliveries.Any(d => d.Outcome is "delivered" or "stopped" or "refused"))
        {
            return WorkOutcome.Done;
        }

        var attempt = Math.Max(1, item.DeliveryAttempt);
        if (scan.Deliveries.Any(d => d.Attempt >= attempt))
        {
            // A job repeated after its attempt was recorded (at-least-once): the chain already goes on from that attempt.
            return WorkOutcome.Done;
        }

        var now = time.GetUtcNow();
        var (status, outcome, error, retryAfter) = await SendAsync(scan, api, url, now, cancellationToken);
        scan = scan with { Deliveries = [.. scan.Deliveries, new DeliveryAttempt(attempt, now, status, outcome, error)] };

        if (outcome == "failed")
        {
            var first = scan.Deliveries.Min(d => d.At);
            var delay = DelayBefore(attempt + 1);
            if (retryAfter > delay)
            {
                delay = retryAfter.Value;
            }

            if (now + delay - first <= GiveUpAfter)
            {
                await scans.SaveAsync(scan, cancellationToken);
                await queue.EnqueueAsync(item with { DeliveryAttempt = attempt + 1 }, delay, cancellationToken);
                LogRetry(logger, scan.Id, attempt, error, status, delay);
                return WorkOutcome.Done;
            }

            scan = scan with { Deliveries = [.. scan.Deliveries, new DeliveryAttempt(attempt, now, null, "abandoned", DeliveryError.ScheduleExhausted)] };
        }

        await scans.SaveAsync(scan, cancellationToken);
        LogFinished(logger, scan.Id, attempt, scan.Deliveries[^1].Outcome);
        return WorkOutcome.Done;
    }

    private async Task<(int? Status, string Outcome, string? Error, TimeSpan? RetryAfter)> SendAsync(
        Scan scan, ApiOrigin api, string url, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (urlPolicy.Validate(url) is not null)
        {
            return (null, "refused", DeliveryError.UrlRefused, null);
        }

        var clientSecrets = await ClientSecrets.ReadAsync(secrets, api.ClientId, cancellationToken);
        if (clientSecrets.Count == 0)
        {
            return (null, "refused", DeliveryError.NoSecret, null);
        }

        var payload = Payload(scan, api);
        var id = WebhookId(scan.Id);
        KeyValuePair<string, string>[] headers =
        [
            new(StandardWebhooksSignature.IdHeader, id),
            new(StandardWebhooksSignature.TimestampHeader, now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
            // One signature per configured secret: during a rotation the receiver verifies with whichever it already has.
            new(StandardWebhooksSignature.SignatureHeader, string.Join(' ', clientSecrets.Select(secret => StandardWebhooksSignature.Sign(secret, id, now, payload)))),
        ];
        var response = await transport.PostAsync(new CallbackRequest(new Uri(url), headers, payload), cancellationToken);
        return response switch
        {
            { Failure: CallbackResponse.AddressRefused } => (null, "refused", CallbackResponse.AddressRefused, null),
            { Failure: { } failure } => (null, "failed", failure, null),
            { StatusCode: >= 200 and < 300 and var code } => (code, "delivered", null, null),
            { StatusCode: 410 } => (410, "stopped", DeliveryError.HttpStatus, null),
            { StatusCode: >= 300 and < 400 and var code } => (code, "failed", DeliveryError.RedirectRefused, response.RetryAfter),
            { StatusCode: var code } => (code, "failed", DeliveryError.HttpStatus, response.RetryAfter),
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Callback for scan {ScanId} attempt {Attempt} failed ({Error}, HTTP {Status}); next in {Delay}")]
    private static partial void LogRetry(ILogger logger, string scanId, int attempt, string? error, int? status, TimeSpan delay);
    [LoggerMessage(Level = LogLevel.Information, Message = "Callback for scan {ScanId} after attempt {Attempt}: {Outcome}")]
    private static partial void LogFinished(ILogger logger, string scanId, int attempt, string outcome);
}
