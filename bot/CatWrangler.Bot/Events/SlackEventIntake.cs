using CatWrangler.Bot.Api;
using CatWrangler.Core;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;
using Microsoft.Extensions.Logging;

namespace CatWrangler.Bot.Events;

/// <summary>What the events endpoint should answer after intake.</summary>
internal enum IntakeResult
{
    /// <summary>Handled, ignored or a duplicate: answer 200 so Slack does not retry.</summary>
    Acknowledged,

    /// <summary>Could not be handled now (e.g. <c>files.info</c> failed): answer an error so Slack retries.</summary>
    RetryLater,
}

/// <summary>
/// Turns file-share events into queued scans. Writes only the scan row and the job (no download, no reply), so the
/// ack stays fast. Two durable idempotency keys make one upload one scan: the event id (Slack's retries) and the
/// (team, channel, message ts, file id) quadruple (the <c>message/file_share</c> and <c>file_shared</c> twins).
/// </summary>
internal sealed class SlackEventIntake(
    IScanStore store,
    IWorkQueue queue,
    SlackWebApiClient slack,
    SlackOptions options,
    CatWranglerOptions platform,
    TimeProvider time,
    Core.Pipeline.AcceptActivity activity,
    ILogger<SlackEventIntake> logger)
{
    public const string EventClaimScope = "slack-event";
    public const string FileClaimScope = "slack-file";

    public async Task<IntakeResult> AcceptAsync(SlackEnvelope envelope, string? retryNum, CancellationToken cancellationToken)
    {
        if (envelope is not { Event: { } ev, TeamId: { } team, EventId: { } eventId })
        {
            return IntakeResult.Acknowledged;
        }

        activity.Accepting();
        var botUser = envelope.Authorizations?.FirstOrDefault(a => a.IsBot)?.UserId;
        return ev switch
        {
            { Type: "message", Subtype: "file_share", Channel: { } channel, User: { } user, Ts: { } ts, BotId: null } when user != botUser
                => await AcceptMessageAsync(team, eventId, retryNum, ev, channel, user, ts, cancellationToken),
            { Type: "file_shared", FileId: { } fileId, ChannelId: { } channel, UserId: { } user } when user != botUser
                => await AcceptFileSharedAsync(team, eventId, retryNum, fileId, channel, user, cancellationToken),
            // bot_message, the bot's own uploads, edits, joins and everything else: nothing to do.
            _ => IntakeResult.Acknowledged,
        };
    }

    private async Task<IntakeResult> AcceptMessageAsync(
        string team, string eventId, string? retryNum, SlackEvent ev, string channel, string user, string ts, CancellationToken cancellationToken)
    {
        // No event-level short cut: every file is deduplicated by (channel, ts, file id), so a redelivered event is walked
        // again in full and a delivery that stopped after its first file still gets the others.
        var scanId = Scan.NewId();
        if (await IsDuplicateEventAsync(eventId, scanId, retryNum, cancellationToken))
        {
            scanId = Scan.NewId();
        }

        foreach (var file in ev.Files ?? [])
        {
            if (file.Id is { } fileId)
            {
                var origin = new SlackOrigin(team, channel, user, fileId, ts, ev.ThreadTs, eventId, file.Name, file.Mimetype, file.Size);
                await AcceptFileAsync(origin, scanId, cancellationToken);
                scanId = Scan.NewId();
            }
        }

        return IntakeResult.Acknowledged;
    }

    private async Task<IntakeResult> AcceptFileSharedAsync(
        string team, string eventId, string? retryNum, string fileId, string channel, string user, CancellationToken cancellationToken)
    {
        var scanId = Scan.NewId();
        if (await IsDuplicateEventAsync(eventId, scanId, retryNum, cancellationToken))
        {
            return IntakeResult.Acknowledged;
        }

        // file_shared does not say which message carries the file: files.info's shares do. Bounded so the ack stays in Slack's 3 s.
        SlackFile file;
        using (var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            budget.CancelAfter(options.FileInfoBudget);
            try
            {
                file = await slack.GetFileInfoAsync(fileId, budget.Token);
            }
            catch (Exception e) when (e is SlackApiException or HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                Log.FileInfoFailed(logger, fileId, e.Message);
                return IntakeResult.RetryLater;
            }
        }

        if (file.Shares?.In(channel) is not { Ts: { } ts } share)
        {
            Log.ShareNotFound(logger, fileId, channel);
            return IntakeResult.RetryLater;
        }

        var origin = new SlackOrigin(team, channel, user, fileId, ts, share.ThreadTs, eventId, file.Name, file.Mimetype, file.Size);
        await AcceptFileAsync(origin, scanId, cancellationToken);
        return IntakeResult.Acknowledged;
    }

    /// <summary>
    /// True when this event id was handled before and its first scan exists. A claimed id whose scan is missing means an
    /// earlier delivery stopped half-way, so the event is handled again (the file key keeps that from doubling anything).
    /// </summary>
    private async Task<bool> IsDuplicateEventAsync(string eventId, string scanId, string? retryNum, CancellationToken cancellationToken)
    {
        var claim = await store.ClaimAsync(EventClaimScope, eventId, eventId, scanId, Expiry(), cancellationToken);
        if (claim is IdempotencyClaim.AlreadyClaimed earlier && await store.GetAsync(earlier.ScanId, cancellationToken) is not null)
        {
            Log.DuplicateEvent(logger, eventId, retryNum);
            return true;
        }

        return false;
    }

    private async Task AcceptFileAsync(SlackOrigin origin, string candidateId, CancellationToken cancellationToken)
    {
        var key = $"{origin.TeamId}:{origin.ChannelId}:{origin.MessageTs}:{origin.FileId}";
        var claim = await store.ClaimAsync(FileClaimScope, key, origin.FileId, candidateId, Expiry(), cancellationToken);
        var scanId = claim is IdempotencyClaim.AlreadyClaimed earlier ? earlier.ScanId : candidateId;
        if (claim is IdempotencyClaim.AlreadyClaimed && await store.GetAsync(scanId, cancellationToken) is not null)
        {
            Log.DuplicateFile(logger, origin.FileId, origin.ChannelId, origin.MessageTs, scanId);
            return;
        }

        var now = time.GetUtcNow();
        var scan = new Scan
        {
            Id = scanId,
            Status = ScanStatus.Queued,
            Source = ScanSource.FromSlack(origin),
            ReceivedAt = now,
            ExpiresAt = now + platform.Retention,
        };

        // Whoever creates the row enqueues the job; a concurrent twin that lost the race stops here.
        if (await store.TryCreateAsync(scan, cancellationToken))
        {
            await queue.EnqueueAsync(new WorkItem(scanId, WorkKind.Process), TimeSpan.Zero, cancellationToken);
            Log.ScanAccepted(logger, origin.FileId, origin.ChannelId, origin.MessageTs, scanId);
        }
    }

    private DateTimeOffset Expiry() => time.GetUtcNow() + platform.Retention;
}
