using System.Text.Json;
using CatWrangler.Slack.Api;
using CatWrangler.Bot.Security;
using Microsoft.AspNetCore.Http;

namespace CatWrangler.Bot.Events;

/// <summary><c>POST /slack/events</c>: signature, then URL verification or intake. A failing store ends in a 5xx, so Slack retries.</summary>
internal static class SlackEventsEndpoint
{
    public static async Task<IResult> HandleAsync(HttpRequest request, SlackRequestReader reader, SlackEventIntake intake, CancellationToken cancellationToken)
    {
        if (!(await reader.ReadVerifiedAsync(request, cancellationToken)).TryGetBody(out var body, out var problem))
        {
            return problem;
        }

        SlackEnvelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize(body, SlackJson.TypeInfo<SlackEnvelope>());
        }
        catch (JsonException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The body is not a Slack event (invalid JSON).");
        }

        switch (envelope)
        {
            case { Type: "url_verification", Challenge: { } challenge }:
                return TypedResults.Ok(new UrlVerificationAnswer(challenge));
            case { Type: "event_callback" }:
                await intake.AcceptAsync(envelope, request.Headers["X-Slack-Retry-Num"], cancellationToken);
                return TypedResults.Ok();
            default:
                return TypedResults.Ok();
        }
    }
}
