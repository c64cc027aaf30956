using System.Text;
using CatWrangler.Bot.Api;
using CatWrangler.Bot.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CatWrangler.Bot.Commands;

/// <summary>
/// <c>POST /slack/commands</c>. Answers inline when the command finishes within the budget; otherwise acknowledges
/// at once and delivers the answer through <c>response_url</c> (Slack shows an error after 3 s without an answer).
/// </summary>
internal static class SlackCommandsEndpoint
{
    public static async Task<IResult> HandleAsync(
        HttpRequest request,
        SlackRequestReader reader,
        CatscanCommand catscan,
        SlackWebApiClient slack,
        SlackOptions options,
        TimeProvider time,
        IHostApplicationLifetime lifetime,
        ILoggerFactory loggers,
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

        var responseUrl = Uri.TryCreate(Field("response_url"), UriKind.Absolute, out var url)
                          && (url.Scheme == Uri.UriSchemeHttps || url.IsLoopback) ? url : null;
        var command = new SlashCommand(Field("team_id"), channel, user, Field("text"), responseUrl);

        // The work must outlive this request when it is slow, so it runs on the application's lifetime, not the request's.
        var work = catscan.RunAsync(command, lifetime.ApplicationStopping);
        var finished = await Task.WhenAny(work, Task.Delay(options.CommandInlineBudget, time, cancellationToken));
        if (finished == work || responseUrl is null)
        {
            return TypedResults.Json(await work, SlackJson.Options);
        }

        _ = DeliverLaterAsync(work, slack, responseUrl, loggers.CreateLogger(typeof(SlackCommandsEndpoint)), lifetime.ApplicationStopping);
        return TypedResults.Json(new SlashResponse("Working on it…"), SlackJson.Options);
    }

    private static async Task DeliverLaterAsync(Task<SlashResponse> work, SlackWebApiClient slack, Uri responseUrl, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await work;
            await slack.PostToResponseUrlAsync(responseUrl, answer with { ReplaceOriginal = true }, cancellationToken);
        }
        catch (Exception e)
        {
            // Nobody awaits this task: log instead of losing the failure.
            Log.DeferredCommandFailed(logger, e);
        }
    }
}
