using System.Globalization;
using System.Net;
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
/// every 10 h) until 24 h after the first attempt. <c>2xx</c> is success, <c>410 Gone</c> stops. Every attempt carries the
/// same <c>webhook-id</c>, so receivers can drop duplicates (delivery is at-least-once).
/// </summary>
public sealed partial class CallbackSender(
    IScanStore scans,
    IWorkQueue queue,
    ISecretStore secrets,
    CallbackUrlPolicy urlPolicy,
    CallbackOptions options,
    HttpClient http,
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

    public async Task<WorkOutcome> DeliverAsync(WorkItem item, CancellationToken cancellationToken)
    {
        var scan = await scans.GetAsync(item.ScanId, cancellationToken);
        if (scan?.Source.Api is not { CallbackUrl: { Length: > 0 } url } api || !scan.IsTerminal
            || scan.Deliveries.Any(d => d.Outcome is "delivered" or "stopped" or "refused"))
        {
            return WorkOutcome.Done;
        }

        var attempt = Math.Max(1, item.DeliveryAttempt);
        var now = time.GetUtcNow();
        var (status, outcome, error) = await SendAsync(scan, api, url, now, cancellationToken);
        scan = scan with { Deliveries = [.. scan.Deliveries, new DeliveryAttempt(attempt, now, status, outcome, error)] };

        if (outcome == "failed")
        {
            var first = scan.Deliveries.Min(d => d.At);
            var next = now + DelayBefore(attempt + 1);
            if (next - first <= GiveUpAfter)
            {
                await scans.SaveAsync(scan, cancellationToken);
                await queue.EnqueueAsync(item with { DeliveryAttempt = attempt + 1 }, next - now, cancellationToken);
                LogRetry(logger, scan.Id, attempt, status, next - now);
                return WorkOutcome.Done;
            }

            scan = scan with { Deliveries = [.. scan.Deliveries, new DeliveryAttempt(attempt, now, null, "abandoned", "No success within 24 hours.")] };
        }

        await scans.SaveAsync(scan, cancellationToken);
        LogFinished(logger, scan.Id, attempt, scan.Deliveries[^1].Outcome);
        return WorkOutcome.Done;
    }

    private async Task<(int? Status, string Outcome, string? Error)> SendAsync(
        Scan scan, ApiOrigin api, string url, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (urlPolicy.Validate(url) is { } invalid)
        {
            return (null, "refused", invalid);
        }

        var uri = new Uri(url);
        if (!options.AllowPrivateNetworks)
        {
            // Checked at send time on the resolved addresses: a public name may point at a private address.
            IPAddress[] addresses;
            try
            {
                addresses = await Dns.GetHostAddressesAsync(uri.DnsSafeHost, cancellationToken);
            }
            catch (System.Net.Sockets.SocketException e)
            {
                return (null, "failed", "DNS: " + e.Message);
            }

            if (addresses.Any(CallbackUrlPolicy.IsPrivate))
            {
                return (null, "refused", "The callback host resolves to a private, loopback or link-local address.");
            }
        }

        var clientSecrets = await ClientSecrets.ReadAsync(secrets, api.ClientId, cancellationToken);
        if (clientSecrets.Count == 0)
        {
            return (null, "refused", $"Client '{api.ClientId}' has no secret to sign callbacks with.");
        }

        var payload = JsonSerializer.SerializeToUtf8Bytes(
            new CallbackPayload(EventType, now, ScanView.From(scan, includeDebug: api.DebugRequested)), CatWranglerJson.Options);
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(payload) };
        request.Content.Headers.ContentType = new("application/json");
        var id = WebhookId(scan.Id);
        request.Headers.Add(StandardWebhooksSignature.IdHeader, id);
        request.Headers.Add(StandardWebhooksSignature.TimestampHeader, now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        // One signature per configured secret: during a rotation the receiver verifies with whichever it already has.
        request.Headers.Add(StandardWebhooksSignature.SignatureHeader, string.Join(' ', clientSecrets.Select(secret => StandardWebhooksSignature.Sign(secret, id, now, payload))));
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var code = (int)response.StatusCode;
            return code switch
            {
                >= 200 and < 300 => (code, "delivered", null),
                410 => (code, "stopped", "The receiver answered 410 Gone."),
                _ => (code, "failed", $"HTTP {code}"),
            };
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return (null, "failed", e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Callback for scan {ScanId} attempt {Attempt} failed (HTTP {Status}); next in {Delay}")]
    private static partial void LogRetry(ILogger logger, string scanId, int attempt, int? status, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "Callback for scan {ScanId} after attempt {Attempt}: {Outcome}")]
    private static partial void LogFinished(ILogger logger, string scanId, int attempt, string outcome);
}

/// <summary>The callback body.</summary>
public sealed record CallbackPayload(string Type, DateTimeOffset Timestamp, ScanView Data);
