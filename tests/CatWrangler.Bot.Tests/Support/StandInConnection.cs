using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace CatWrangler.Bot.Tests.Support;

/// <summary>One WebSocket the app opened to the <see cref="SocketModeStandIn"/>.</summary>
internal sealed class StandInConnection(SocketModeStandIn standIn, int number, WebSocket socket, HttpContext context)
{
    private readonly SemaphoreSlim sendLock = new(1, 1);
    private readonly TaskCompletionSource greeted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource reading = Started();

    public int Number { get; } = number;

    public DateTimeOffset OpenedAt { get; } = DateTimeOffset.UtcNow;

    public DateTimeOffset? ClosedAt { get; private set; }

    public bool IsOpen => !closed.Task.IsCompleted;

    /// <summary>Completes once <c>hello</c> went out.</summary>
    public Task Greeted => greeted.Task;

    /// <summary>Completes when the socket is gone, however.</summary>
    public Task Closed => closed.Task;

    /// <summary>The close status the app sent, or null when the socket was dropped.</summary>
    public WebSocketCloseStatus? CloseStatusFromApp { get; private set; }

    public string CloseReason { get; private set; } = "";

    /// <summary>Acknowledgements on this connection get lost (the app sends them; Slack never sees them).</summary>
    public bool IgnoreAcks { get; set; }

    public async Task SendAsync(string frame)
    {
        await sendLock.WaitAsync();
        try
        {
            standIn.Record($"-> [{Number}] {Compact(frame)}");
            await socket.SendAsync(Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }
        finally
        {
            sendLock.Release();
        }
    }

    /// <summary>Sends one text frame of <paramref name="bytes"/> bytes (over any limit the app should have).</summary>
    public async Task SendOversizedAsync(int bytes)
    {
        var frame = "{\"type\":\"events_api\",\"padding\":\"" + new string('x', bytes) + "\"}";
        await sendLock.WaitAsync();
        try
        {
            standIn.Record($"-> [{Number}] (a {bytes}-byte frame)");
            await socket.SendAsync(Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }
        finally
        {
            sendLock.Release();
        }
    }

    /// <summary>Cuts the TCP connection without a close frame, as a network failure would.</summary>
    public void Drop()
    {
        if (IsOpen)
        {
            standIn.Record($"-- connection {Number} dropped by the stand-in");
            context.Abort();
        }
    }

    /// <summary>
    /// Before reading starts: never read, so pings go unanswered, as on a connection that is half gone (no FIN, no RST).
    /// (Control frames are answered inside a pending receive, so a connection that is already reading cannot be silenced.)
    /// </summary>
    internal void Silence()
    {
        standIn.Record($"-- connection {Number} answers nothing (no pongs)");
        reading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Reads again; what the app did meanwhile (such as giving up on the connection) shows up then.</summary>
    public void Thaw() => reading.TrySetResult();

    internal void MarkGreeted() => greeted.TrySetResult();

    /// <summary>Reads the app's frames until the socket closes; answers a close frame as Slack does.</summary>
    internal async Task ReceiveAsync(Action<StandInConnection, JsonElement> onAck)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                await reading.Task;
                var result = await socket.ReceiveAsync(buffer, context.RequestAborted);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    CloseStatusFromApp = result.CloseStatus;
                    CloseReason = $"closed by the app ({result.CloseStatus} {result.CloseStatusDescription})";
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                    return;
                }

                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }

                var text = Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
                message.SetLength(0);
                standIn.Record($"<- [{Number}] {text}{(IgnoreAcks ? "   (lost on the way)" : "")}");
                onAck(this, JsonDocument.Parse(text).RootElement);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            CloseReason = "dropped";
        }
        finally
        {
            ClosedAt = DateTimeOffset.UtcNow;
            closed.TrySetResult();
        }
    }

    private static TaskCompletionSource Started()
    {
        var started = new TaskCompletionSource();
        started.SetResult();
        return started;
    }

    private static readonly JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Compact(string json) => JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement, Readable);
}
