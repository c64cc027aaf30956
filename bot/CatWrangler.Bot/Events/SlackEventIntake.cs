using CatWrangler.Slack.Api;
using CatWrangler.Core;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;
using Microsoft.Extensions.Logging;

namespace CatWrangler.Bot.Events;

/// <summary>
/// Turns file-share events into queued scans. Writes only the scan row and the job (no Web API call, no download, no reply),
/// so the ack stays fast even on a cold start. Two durable idempotency keys make one upload one scan: the event id (Slack's
/// retries) and (team, channel, file id), which both twins carry: the <c>message/file_share</c> event and the
/// <c>file_shared</c> event. A <c>file_shared</c> event that comes first leaves the message to the processor, which asks
/// <c>files.info</c> (see <see cref="Processing.SlackShareResolver"/>).
/// </summary>
internal sealed class SlackEventIntake(
    IScanStore store,
    IWorkQueue queue,
    CatWranglerOptions platform,
    TimeProvider time,
    Core.Pipeline.AcceptActivity activity,
    ILogger<SlackEventIntake> logger)
{
    public const string EventClaimScope = "slack-event";
    public const string FileClaimScope = "slack-file";

    public async Task AcceptAsync(SlackEnvelope envelope, string? retryNum, CancellationToken cancellationToken)
    {
        if (envelope is not { Event: { } ev, TeamId: { } team, EventId: { } eventId })
        {
            return;
        }

        activity.Accepting();
        var botUser = envelope.Authorizations?.FirstOrDefault(a => a.IsBot)?.UserId;
        switch (ev)
        {
            case { Type: "message", Subtype: "file_share", Channel: { } channel, User: { } user, Ts: { } ts, BotId: null } when user != botUser:
                await AcceptMessageAsync(team, eventId, retryNum, ev, channel, user, ts, cancellationToken);
                break;
            case { Type: "file_shared", FileId: { } fileId, ChannelId: { } channel, UserId: { } user } when user != botUser:
                await AcceptFileSharedAsync(team, eventId, retryNum, fileId, channel, user, cancellationToken);
                break;
            default:
                // bot_message, the bot's own uploads, edits, joins and everything else: nothing to do.
                break;
        }
    }

    /// <summary>The key both twins of one upload share (a file shared again in the same channel is the same picture).</summary>
    public static string FileKey(string team, string channel, string fileId) => $"{team}:{channel}:{fileId}";

    private async Task AcceptMessageAsync(
        string team, string eventId, string? retryNum, SlackEvent ev, string channel, string user, string ts, CancellationToken cancellationToken)
    {
        // No event-level short cut: every file is deduplicated by (channel, file id), so a redelivered event is walked
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
                await AcceptFileAsync(origin, scanId, WorkKind.Process, cancellationToken);
                scanId = Scan.NewId();
            }
        }
    }

    private async Task AcceptFileSharedAsync(
        string team, string eventId, string? retryNum, string fileId, string channel, string user, CancellationToken cancellationToken)
    {
        var scanId = Scan.NewId();
        if (await IsDuplicateEventAsync(eventId, scanId, retryNum, cancellationToken))
        {
            return;
        }

        // The event does not say which message carries the file: the processor finds out before processing.
        var origin = new SlackOrigin(team, channel, user, fileId, MessageTs: null, ThreadTs: null, eventId);
        await AcceptFileAsync(origin, scanId, WorkKind.SlackFileShared, cancellationToken);
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

    private async Task AcceptFileAsync(SlackOrigin origin, string candidateId, WorkKind firstStep, CancellationToken cancellationToken)
    {
        var key = FileKey(origin.TeamId, origin.ChannelId, origin.FileId);
        var claim = await store.ClaimAsync(FileClaimScope, key, origin.FileId, candidateId, Expiry(), cancellationToken);
        var scanId = claim is IdempotencyClaim.AlreadyClaimed earlier ? earlier.ScanId : candidateId;
        if (claim is IdempotencyClaim.AlreadyClaimed && await store.GetAsync(scanId, cancellationToken) is not null)
        {
            Log.DuplicateFile(logger, origin.FileId, origin.ChannelId, scanId);
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
            await queue.EnqueueAsync(new WorkItem(scanId, firstStep), TimeSpan.Zero, cancellationToken);
            Log.ScanAccepted(logger, origin.FileId, origin.ChannelId, origin.MessageTs, scanId);
        }
    }

    private DateTimeOffset Expiry() => time.GetUtcNow() + platform.Retention;
}
