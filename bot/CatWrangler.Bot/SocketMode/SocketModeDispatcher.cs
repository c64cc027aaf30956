using System.Globalization;
using System.Text.Json;
using CatWrangler.Slack.Api;
using CatWrangler.Bot.Commands;
using CatWrangler.Bot.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CatWrangler.Bot.SocketMode;

/// <summary>
/// Routes one Socket Mode envelope into the same intake the HTTP endpoints use (and so the same deduplication) and returns
/// the acknowledgement. An intake that throws gives no acknowledgement, so Slack redelivers the envelope, exactly as a 5xx
/// makes it retry an HTTP request.
/// </summary>
internal sealed class SocketModeDispatcher(IServiceScopeFactory scopes, ILogger<SocketModeDispatcher> logger)
{
    public async Task<SocketModeAck> HandleAsync(SocketModeFrame envelope, CancellationToken cancellationToken)
    {
        var envelopeId = envelope.EnvelopeId ?? throw new ArgumentException("An envelope without an id cannot be acknowledged.", nameof(envelope));
        await using var scope = scopes.CreateAsyncScope();
        switch (envelope.Type)
        {
            case SocketModeFrame.EventsApi:
                await AcceptEventAsync(scope.ServiceProvider, envelope, cancellationToken);
                return new SocketModeAck(envelopeId);
            case SocketModeFrame.SlashCommands:
                var answer = await scope.ServiceProvider.GetRequiredService<SlashCommandIntake>()
                    .AcceptAsync(name => Field(envelope.Payload, name), cancellationToken);
                if (answer is null)
                {
                    Log.SocketModeEnvelopeIgnored(logger, envelope.Type, envelopeId, "no channel_id or user_id");
                }

                return new SocketModeAck(envelopeId, answer);
            default:
                // interactive and anything newer: acknowledged so Slack does not redeliver what this bot does not handle.
                Log.SocketModeEnvelopeIgnored(logger, envelope.Type, envelopeId, "not handled by this bot");
                return new SocketModeAck(envelopeId);
        }
    }

    private static async Task AcceptEventAsync(IServiceProvider services, SocketModeFrame envelope, CancellationToken cancellationToken)
    {
        SlackEnvelope? callback;
        try
        {
            callback = envelope.Payload.Deserialize<SlackEnvelope>(SlackJson.Options);
        }
        catch (JsonException)
        {
            // The HTTP endpoint answers 400 to this; here the ack alone stops a useless redelivery.
            return;
        }

        if (callback is { Type: "event_callback" })
        {
            // Slack's redelivery counter plays the part of the X-Slack-Retry-Num header.
            var retryNum = envelope.RetryAttempt > 0 ? envelope.RetryAttempt.ToString(CultureInfo.InvariantCulture) : null;
            await services.GetRequiredService<SlackEventIntake>().AcceptAsync(callback, retryNum, cancellationToken);
        }
    }

    /// <summary>Slash commands arrive as a JSON object of the same string fields the HTTP form carries.</summary>
    private static string Field(JsonElement payload, string name)
        => payload.ValueKind == JsonValueKind.Object && payload.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString() ?? ""
            : "";
}
