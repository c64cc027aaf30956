using System.Text;
using CatWrangler.Slack;
using CatWrangler.Slack.Api;
using CatWrangler.Slack.Commands;
using CatWrangler.Bot.Security;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace CatWrangler.Bot.Commands;

/// <summary>
/// <c>POST /slack/commands</c>. Answers inline when the command finishes within the budget; otherwise queues the command
/// (durably, before answering) and acknowledges with "working on it": the processor answers through <c>response_url</c>.
/// Nothing runs here after the response, because a Lambda is frozen once it has answered.
/// </summary>
internal static class SlackCommandsEndpoint
{
    /// <summary>Longer command texts are not a <c>/catscan</c> subcommand; they get the usage without any lookup.</summary>
    public const int MaxTextLength = 500;

    public const string WorkingOnIt = "Working on it…";

    public static async Task<IResult> HandleAsync(
        HttpRequest request,
        SlackRequestReader reader,
        CatscanCommand catscan,
        IWorkQueue queue,
        SlackOptions options,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await reader.ReadVerifiedAsync(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var form = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body!));
        string Field(string name) => form.TryGetValue(name, out var v) ? v.ToString() : "";
        if (Field("channel_id") is not { Length: > 0 } channel || Field("user_id") is not { Length: > 0 } user)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not a slash-command request (channel_id and user_id are required).");
        }

        if (Field("text").Length > MaxTextLength)
        {
            return TypedResults.Json(new SlashResponse($"Sorry, that is longer than any `/catscan` command.\n{CatscanCommand.Usage}"), SlackJson.TypeInfo<SlashResponse>());
        }

        var responseUrl = Uri.TryCreate(Field("response_url"), UriKind.Absolute, out var url)
                          && (url.Scheme == Uri.UriSchemeHttps || url.IsLoopback) ? url : null;
        var command = new SlashCommand(Field("team_id"), channel, user, Field("text"), responseUrl);
        if (responseUrl is null)
        {
            // No way to answer later: the inline answer is the only one.
            return TypedResults.Json(await catscan.RunAsync(command, cancellationToken), SlackJson.TypeInfo<SlashResponse>());
        }

        using var inline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var work = catscan.RunAsync(command, inline.Token);
        try
        {
            return TypedResults.Json(await work.WaitAsync(options.CommandInlineBudget, time, cancellationToken), SlackJson.TypeInfo<SlashResponse>());
        }
        catch (TimeoutException)
        {
            // Too slow for Slack's 3 s: stop the inline attempt and let the processor answer (the command only reads).
            await inline.CancelAsync();
        }

        await queue.EnqueueAsync(new WorkItem(Scan.NewId(), WorkKind.SlackCommand, Payload: command.ToPayload()), TimeSpan.Zero, cancellationToken);
        return TypedResults.Json(new SlashResponse(WorkingOnIt), SlackJson.TypeInfo<SlashResponse>());
    }
}
