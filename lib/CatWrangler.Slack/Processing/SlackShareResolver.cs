using CatWrangler.Slack.Api;
using CatWrangler.Core.Pipeline;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;
using Microsoft.Extensions.Logging;

namespace CatWrangler.Slack.Processing;

/// <summary>
/// The processor's first step for a file seen only in a <c>file_shared</c> event: <c>files.info</c>'s shares name the message
/// that carries the file in the event's channel. Records it (and the file's name, type and size) on the scan, then queues
/// the processing, which replies in that message's thread. Slack may announce a file before its message exists, so a
/// missing share is retried with the processor's backoff; after <see cref="ProcessorOptions.MaxAttempts"/> the scan is failed.
/// </summary>
public sealed class SlackShareResolver(
    IScanStore store,
    IWorkQueue queue,
    SlackWebApiClient slack,
    ProcessorOptions options,
    TimeProvider time,
    ILogger<SlackShareResolver> logger) : IWorkKindHandler
{
    public WorkKind Kind => WorkKind.SlackFileShared;

    public async Task<WorkOutcome> HandleAsync(WorkItem item, int receiveCount, CancellationToken cancellationToken)
    {
        var scan = await store.GetAsync(item.ScanId, cancellationToken);
        if (scan is not { Source.Slack: { } origin } || scan.IsTerminal)
        {
            return WorkOutcome.Done;
        }

        if (origin.MessageTs is null)
        {
            SlackFile file;
            try
            {
                file = await slack.GetFileInfoAsync(origin.FileId, cancellationToken);
            }
            catch (SlackApiException e) when (e.Error is "file_not_found" or "file_deleted")
            {
                await FailAsync(scan, "The file was deleted from Slack before I could look at it.", cancellationToken);
                return WorkOutcome.Done;
            }
            catch (Exception e) when (e is SlackApiException or HttpRequestException && !cancellationToken.IsCancellationRequested)
            {
                Log.FileInfoFailed(logger, origin.FileId, receiveCount, e.Message);
                return await RetryOrGiveUpAsync(scan, receiveCount, $"files.info failed: {e.Message}", cancellationToken);
            }

            if (file.Shares?.In(origin.ChannelId) is not { Ts: { } ts } share)
            {
                Log.ShareNotFound(logger, origin.FileId, scan.Id, origin.ChannelId, receiveCount);
                return await RetryOrGiveUpAsync(scan, receiveCount, "Slack shows no message with this file in the channel.", cancellationToken);
            }

            origin = origin with { MessageTs = ts, ThreadTs = share.ThreadTs, FileName = file.Name, MimeType = file.Mimetype, FileSize = file.Size };
            scan = scan with { Source = ScanSource.FromSlack(origin) };
            await store.SaveAsync(scan, cancellationToken);
            Log.ShareFound(logger, origin.FileId, scan.Id, ts, origin.ChannelId);
        }

        // Also reached when a run saved the message but died before enqueuing: processing is idempotent, so a second job is harmless.
        await queue.EnqueueAsync(new WorkItem(scan.Id, WorkKind.Process), TimeSpan.Zero, cancellationToken);
        return WorkOutcome.Done;
    }

    private async Task<WorkOutcome> RetryOrGiveUpAsync(Scan scan, int receiveCount, string reason, CancellationToken cancellationToken)
    {
        if (receiveCount < options.MaxAttempts)
        {
            return new WorkOutcome.RetryLater(options.BackoffFor(receiveCount), reason);
        }

        var message = $"I could not find the message with this file after {receiveCount} attempts: {reason}";
        await FailAsync(scan, message, cancellationToken);
        return new WorkOutcome.DeadLetter(message);
    }

    /// <summary>Ends the scan; with no known message there is no thread to tell, so the error stays on the scan (<c>/catscan status</c>).</summary>
    private Task FailAsync(Scan scan, string message, CancellationToken cancellationToken)
        => store.SaveAsync(scan with
        {
            Status = ScanStatus.Failed,
            Error = new ScanError("slack_message_not_found", message),
            CompletedAt = time.GetUtcNow(),
        }, cancellationToken);
}
