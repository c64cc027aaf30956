using System.Text;
using CatWrangler.Slack;
using CatWrangler.Slack.Api;
using CatWrangler.Slack.Commands;
using CatWrangler.Bot.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace CatWrangler.Bot.Commands;

/// <summary><c>POST /slack/commands</c>: signature, then the form fields into the one <see cref="SlashCommandIntake"/>.</summary>
internal static class SlackCommandsEndpoint
{
    public static async Task<IResult> HandleAsync(
        HttpRequest request,
        SlackRequestReader reader,
        SlashCommandIntake intake,
        CancellationToken cancellationToken)
    {
        if (!(await reader.ReadVerifiedAsync(request, cancellationToken)).TryGetBody(out var body, out var problem))
        {
            return problem;
        }

        var form = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body));
        var answer = await intake.AcceptAsync(name => form.TryGetValue(name, out var v) ? v.ToString() : "", cancellationToken);
        return answer is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not a slash-command request (channel_id and user_id are required).")
            : TypedResults.Json(answer, SlackJson.TypeInfo<SlashResponse>());
    }
}
