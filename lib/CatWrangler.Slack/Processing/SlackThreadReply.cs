using CatWrangler.Slack.Api;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;
using Microsoft.Extensions.Logging;

namespace CatWrangler.Slack.Processing;

/// <summary>
/// Posts a finished scan's one thread reply: with cats found (and <see cref="SlackOptions.AnnotatedReplies"/> on), the
/// annotated picture the processor stored, shared into the thread with the verdict as its message; otherwise, or when the
/// upload fails, the verdict as plain text. The caller has claimed the reply, so this runs once per scan.
/// </summary>
public sealed partial class SlackThreadReply(SlackWebApiClient slack, IImageStore images, SlackOptions options, ILogger<SlackThreadReply> logger)
{
    public async Task PostAsync(Scan scan, string channelId, string threadTs, CancellationToken cancellationToken)
    {
        var text = SlackMessages.CompletedReply(scan);
        if (options.AnnotatedReplies && scan is { Status: ScanStatus.Done, Verdict.IsCat: true }
            && await PictureAsync(scan, cancellationToken) is { } png)
        {
            try
            {
                var upload = new SlackUpload(channelId, threadTs, $"catwrangler-{scan.Id}.png", "Where the cats are", SlackMessages.PictureAltText(scan), png, text);
                await slack.UploadToThreadAsync(upload, cancellationToken);
                return;
            }
            catch (Exception e) when (e is SlackApiException or HttpRequestException)
            {
                // Nothing was shared unless completeUploadExternal itself failed after sharing, which Slack reports as ok: false.
                LogUploadFailed(logger, e, scan.Id);
            }
        }

        await slack.PostMessageAsync(channelId, text, threadTs, cancellationToken);
    }

    private async Task<byte[]?> PictureAsync(Scan scan, CancellationToken cancellationToken)
    {
        try
        {
            return await images.GetAnnotatedAsync(scan.Id, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LogUploadFailed(logger, e, scan.Id);
            return null;
        }
    }

    [LoggerMessage(EventId = 4020, Level = LogLevel.Warning, Message = "Annotated picture of scan {ScanId} could not be shared; replying with text only")]
    private static partial void LogUploadFailed(ILogger logger, Exception exception, string scanId);
}
