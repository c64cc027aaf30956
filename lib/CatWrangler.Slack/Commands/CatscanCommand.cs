using CatWrangler.Slack.Api;
using CatWrangler.Slack.Processing;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CatWrangler.Slack.Commands;

/// <summary><c>/catscan status [scan id]</c>, <c>/catscan debug &lt;scan id&gt;</c>, <c>/catscan help</c>. Every answer is ephemeral.</summary>
public sealed class CatscanCommand(IScanStore store, IOptionsMonitor<SlackOptions> options, ILogger<CatscanCommand> logger)
{
    public const string Usage =
        "*/catscan* checks pictures for cats. Post a JPEG or PNG in a channel I'm in and I'll answer in the thread.\n" +
        "• `/catscan status`: the last scans in this channel\n" +
        "• `/catscan status <scan id>`: one scan\n" +
        "• `/catscan debug <scan id>`: how the answer was reached (power users)\n" +
        "• `/catscan help`: this text";

    private const int RecentCount = 10;

    /// <summary>Always an answer: a failure becomes a short apology rather than an error page in Slack.</summary>
    public async Task<SlashResponse> RunAsync(SlashCommand command, CancellationToken cancellationToken)
    {
        try
        {
            return await AnswerAsync(command, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.CommandFailed(logger, e);
            return new SlashResponse("Sorry, I couldn't look that up just now. Please try again in a minute.");
        }
    }

    private async Task<SlashResponse> AnswerAsync(SlashCommand command, CancellationToken cancellationToken)
    {
        var words = command.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return words switch
        {
            [] or ["help"] => new SlashResponse(Usage),
            ["status"] => await RecentAsync(command, cancellationToken),
            ["status", var id] => await StatusAsync(command, id, cancellationToken),
            ["debug", var id] => await DebugAsync(command, id, cancellationToken),
            ["debug"] => new SlashResponse("Which scan? Try `/catscan debug <scan id>`; `/catscan status` lists the recent ones."),
            _ => new SlashResponse($"Sorry, I don't know `{string.Join(' ', words)}`.\n{Usage}"),
        };
    }

    private async Task<SlashResponse> RecentAsync(SlashCommand command, CancellationToken cancellationToken)
    {
        var scans = await store.ListRecentAsync(new ScanListQuery(SlackChannelId: command.ChannelId, Limit: RecentCount), cancellationToken);
        return scans.Count == 0
            ? new SlashResponse("No scans in this channel yet. Post a JPEG or PNG and I'll check it for cats.")
            : new SlashResponse("Last scans in this channel:\n" + string.Join('\n', scans.Select(SlackMessages.StatusLine)));
    }

    private async Task<SlashResponse> StatusAsync(SlashCommand command, string id, CancellationToken cancellationToken)
        => await FindAsync(command, id, cancellationToken) is { } scan
            ? new SlashResponse(SlackMessages.StatusLine(scan))
            : NotFound(id);

    private async Task<SlashResponse> DebugAsync(SlashCommand command, string id, CancellationToken cancellationToken)
    {
        if (!IsPowerUser(command.UserId))
        {
            return new SlashResponse(
                "Sorry, debug details are only for CatWrangler power users. " +
                $"`/catscan status {id}` shows the verdict; an admin can add your Slack user id ({command.UserId}) to CatWrangler:Slack:PowerUsers.");
        }

        return await FindAsync(command, id, cancellationToken) is { } scan ? new SlashResponse(SlackMessages.Debug(scan)) : NotFound(id);
    }

    /// <summary>A scan from this channel; power users may look across channels of the same workspace.</summary>
    private async Task<Scan?> FindAsync(SlashCommand command, string id, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out _))
        {
            return null;
        }

        var scan = await store.GetAsync(id, cancellationToken);
        return scan?.Source.Slack is { } origin
               && origin.TeamId == command.TeamId
               && (origin.ChannelId == command.ChannelId || IsPowerUser(command.UserId))
            ? scan
            : null;
    }

    private bool IsPowerUser(string userId) => options.CurrentValue.PowerUsers.Contains(userId, StringComparer.Ordinal);

    private static SlashResponse NotFound(string id)
        => new($"I can't find scan `{id}` in this channel. `/catscan status` lists the recent ones.");
}
