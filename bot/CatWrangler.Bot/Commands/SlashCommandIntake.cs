using CatWrangler.Slack;
using CatWrangler.Slack.Api;
using CatWrangler.Slack.Commands;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;

namespace CatWrangler.Bot.Commands;

/// <summary>
/// The one accept path of <c>/catscan</c>, for the HTTP endpoint and Socket Mode alike. Answers inline when the command
/// finishes within the budget; otherwise queues the command (durably, before answering) and answers "working on it": the
/// processor answers through <c>response_url</c>. Nothing runs here after the answer, because a Lambda is frozen once it
/// has answered.
/// </summary>
internal sealed class SlashCommandIntake(CatscanCommand catscan, IWorkQueue queue, SlackOptions options, TimeProvider time)
{
    /// <summary>Longer command texts are not a <c>/catscan</c> subcommand; they get the usage without any lookup.</summary>
    public const int MaxTextLength = 500;

    public const string WorkingOnIt = "Working on it…";

    /// <summary>The immediate answer, or null when the fields are no slash command (no channel or user).</summary>
    /// <param name="field">A request field by Slack's name (<c>channel_id</c>, <c>text</c>…), empty when absent.</param>
    public async Task<SlashResponse?> AcceptAsync(Func<string, string> field, CancellationToken cancellationToken)
    {
        if (field("channel_id") is not { Length: > 0 } channel || field("user_id") is not { Length: > 0 } user)
        {
            return null;
        }

        if (field("text").Length > MaxTextLength)
        {
            return new SlashResponse($"Sorry, that is longer than any `/catscan` command.\n{CatscanCommand.Usage}");
        }

        var responseUrl = Uri.TryCreate(field("response_url"), UriKind.Absolute, out var url)
                          && (url.Scheme == Uri.UriSchemeHttps || url.IsLoopback) ? url : null;
        var command = new SlashCommand(field("team_id"), channel, user, field("text"), responseUrl);
        if (responseUrl is null)
        {
            // No way to answer later: the inline answer is the only one.
            return await catscan.RunAsync(command, cancellationToken);
        }

        using var inline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var work = catscan.RunAsync(command, inline.Token);
        try
        {
            return await work.WaitAsync(options.CommandInlineBudget, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Too slow for Slack's 3 s: stop the inline attempt and let the processor answer (the command only reads).
            await inline.CancelAsync();
        }

        await queue.EnqueueAsync(new WorkItem(Scan.NewId(), WorkKind.SlackCommand, Payload: command.ToPayload()), TimeSpan.Zero, cancellationToken);
        return new SlashResponse(WorkingOnIt);
    }
}
