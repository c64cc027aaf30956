using System.Text.Json;

namespace CatWrangler.Bot.Tests.Support;

/// <summary>One envelope the <see cref="SocketModeStandIn"/> sent, on which connections, and its acknowledgement.</summary>
internal sealed class StandInDelivery(string envelopeId, string type, string payload, bool acceptsResponsePayload)
{
    private readonly TaskCompletionSource<JsonElement> ack = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string EnvelopeId { get; } = envelopeId;

    public string Type { get; } = type;

    public string Payload { get; } = payload;

    public bool AcceptsResponsePayload { get; } = acceptsResponsePayload;

    /// <summary>Connection numbers it went out on, first delivery first.</summary>
    public List<int> SentOn { get; } = [];

    /// <summary>Acknowledgements the app sent on a connection whose acks get lost.</summary>
    public List<JsonElement> LostAcks { get; } = [];

    /// <summary>The first acknowledgement Slack received.</summary>
    public Task<JsonElement> Ack => ack.Task;

    internal void Acked(JsonElement frame) => ack.TrySetResult(frame);
}
