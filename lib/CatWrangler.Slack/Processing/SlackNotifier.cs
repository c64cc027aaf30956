using CatWrangler.Slack.Api;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;
using Microsoft.Extensions.Logging;

namespace CatWrangler.Slack.Processing;

/// <summary>
/// Tells the Slack thread how a scan went: ⏳ on accept, then one threaded reply and the reaction swap.
/// The reply is claimed per scan before it is posted (at most one reply per scan, even when the job runs again);
/// reactions are idempotent by nature (<c>already_reacted</c> / <c>no_reaction</c> count as success).
/// </summary>
public sealed class SlackNotifier(SlackWebApiClient slack, SlackThreadReply reply, IScanStore store, ILogger<SlackNotifier> logger) : IScanNotifier
{
    public const string ReplyClaimScope = "slack-reply";

    public async Task OnAcceptedAsync(Scan scan, CancellationToken cancellationToken)
    {
        if (scan.Source.Slack is { MessageTs: { } ts } origin)
        {
            await ReactAsync(scan, () => slack.AddReactionAsync(origin.ChannelId, ts, SlackMessages.PendingReaction, cancellationToken), SlackMessages.PendingReaction);
        }
    }

    public async Task OnCompletedAsync(Scan scan, CancellationToken cancellationToken)
    {
        if (scan.Source.Slack is not { } origin || !scan.IsTerminal)
        {
            return;
        }

        if (origin.MessageTs is not { } ts)
        {
            // A file_shared scan whose message was never found: no thread exists to answer in.
            Log.NoMessageToAnswer(logger, scan.Id);
            return;
        }

        // A fresh owner per call, so a second run never counts as "the same claimant" and posts again.
        var claim = await store.ClaimAsync(ReplyClaimScope, scan.Id, "completed", Guid.NewGuid().ToString(), scan.ExpiresAt, cancellationToken);
        if (claim is IdempotencyClaim.Claimed)
        {
            try
            {
                await reply.PostAsync(scan, origin.ChannelId, origin.ThreadTs ?? ts, cancellationToken);
            }
            catch (Exception e) when (e is SlackApiException or HttpRequestException)
            {
                // The claim is spent: a later run will not post twice. Logged so an operator sees a lost reply.
                Log.ReplyFailed(logger, e, scan.Id);
            }
        }
        else
        {
            Log.ReplyAlreadyPosted(logger, scan.Id);
        }

        await ReactAsync(scan, () => slack.RemoveReactionAsync(origin.ChannelId, ts, SlackMessages.PendingReaction, cancellationToken), SlackMessages.PendingReaction);
        var outcome = SlackMessages.Reaction(scan);
        await ReactAsync(scan, () => slack.AddReactionAsync(origin.ChannelId, ts, outcome, cancellationToken), outcome);
    }

    /// <summary>Reactions are decoration: a failure is logged and never fails the scan.</summary>
    private async Task ReactAsync(Scan scan, Func<Task> react, string name)
    {
        try
        {
            await react();
        }
        catch (Exception e) when (e is SlackApiException or HttpRequestException)
        {
            Log.ReactionFailed(logger, name, scan.Id, e.Message);
        }
    }
}
