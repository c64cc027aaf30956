using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using CatWrangler.Slack.Api;
using Microsoft.Extensions.Logging;

namespace CatWrangler.Bot.SocketMode;

/// <summary>
/// One Socket Mode WebSocket: reads frames (bounded in size), hands envelopes to the <see cref="SocketModeDispatcher"/>
/// (several at once, so a slow slash command does not hold up events) and sends each acknowledgement by envelope id.
/// Its end is always reported as <see cref="SocketModeSignalKind.Closed"/> after the envelopes it received were finished.
/// </summary>
internal sealed class SocketModeConnection
{
    private const int ReadChunkBytes = 16 * 1024;
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(1);

    private readonly ClientWebSocket socket;
    private readonly SocketModeDispatcher dispatcher;
    private readonly SocketModeOptions options;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly ChannelWriter<SocketModeSignal> signals;
    private readonly SemaphoreSlim sendLock = new(1, 1);
    private readonly SemaphoreSlim slots;
    private readonly CancellationTokenSource receiving = new();
    private readonly CancellationTokenSource handlers = new();
    private readonly TaskCompletionSource<SocketModeFrame> hello = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<long, Task> inFlight = new();
    private long envelopeCount;
    private int closeRequested;
    private volatile bool closing;

    private SocketModeConnection(
        int number, ClientWebSocket socket, SocketModeDispatcher dispatcher, SocketModeOptions options, TimeProvider time, ILogger logger,
        ChannelWriter<SocketModeSignal> signals)
    {
        Number = number;
        this.socket = socket;
        this.dispatcher = dispatcher;
        this.options = options;
        this.time = time;
        this.logger = logger;
        this.signals = signals;
        slots = new SemaphoreSlim(options.MaxConcurrentEnvelopes, options.MaxConcurrentEnvelopes);
    }

    /// <summary>Counts connections in this process, for the logs.</summary>
    public int Number { get; }

    /// <summary>Ends when the socket is gone and the envelopes received on it are finished.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>Connects and waits for Slack's <c>hello</c>; a connection that does not say it within the timeout is dropped.</summary>
    public static async Task<SocketModeConnection> OpenAsync(
        int number, Uri url, SocketModeDispatcher dispatcher, SocketModeOptions options, TimeProvider time, ILogger logger,
        ChannelWriter<SocketModeSignal> signals, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = options.KeepAliveInterval;
        socket.Options.KeepAliveTimeout = options.KeepAliveInterval;
        var connection = new SocketModeConnection(number, socket, dispatcher, options, time, logger, signals);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        try
        {
            await socket.ConnectAsync(url, timeout.Token);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        connection.Completion = connection.RunAsync();
        try
        {
            var greeting = await connection.hello.Task.WaitAsync(timeout.Token);
            Log.SocketModeConnected(logger, number, greeting.DebugInfo?.Host, greeting.NumConnections, greeting.DebugInfo?.ApproximateConnectionTime);
            connection.ScheduleRefresh(greeting.DebugInfo?.ApproximateConnectionTime);
            return connection;
        }
        catch
        {
            await connection.receiving.CancelAsync();
            await connection.Completion;
            throw;
        }
    }

    /// <summary>
    /// Closes this connection after the envelopes already received are acknowledged (bounded by the drain timeout): used
    /// when its replacement is ready and on shutdown. Envelopes Slack sends after that are not acknowledged here, so Slack
    /// delivers them again on another connection.
    /// </summary>
    public async Task CloseAsync(string why)
    {
        if (Interlocked.Exchange(ref closeRequested, 1) == 1)
        {
            await Completion;
            return;
        }

        await DrainAsync();
        closing = true;

        // A send stuck on a peer that stopped reading must not hold up the shutdown: then there is no goodbye.
        if (await sendLock.WaitAsync(CloseHandshakeTimeout))
        {
            try
            {
                using var timeout = new CancellationTokenSource(CloseHandshakeTimeout, time);
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, why, timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                // Already gone: nothing to say goodbye to.
            }
            finally
            {
                sendLock.Release();
            }
        }

        // Slack answers the close frame; a peer that does not is cut off after a second.
        try
        {
            await Completion.WaitAsync(CloseHandshakeTimeout, time);
        }
        catch (TimeoutException)
        {
            await receiving.CancelAsync();
            await Completion;
        }
    }

    private async Task RunAsync()
    {
        // Off the caller's stack: the receive loop runs for the connection's whole life.
        await Task.Yield();
        var reason = await ReceiveAsync();
        hello.TrySetException(new WebSocketException($"The connection ended before Slack's hello: {reason}"));
        await DrainAsync();
        await handlers.CancelAsync();
        await receiving.CancelAsync(); // also ends the refresh timer
        socket.Abort();
        socket.Dispose();
        signals.TryWrite(new SocketModeSignal(this, SocketModeSignalKind.Closed, reason));
    }

    /// <summary>Reads frames until the socket closes; returns why it ended.</summary>
    private async Task<string> ReceiveAsync()
    {
        var chunk = new byte[ReadChunkBytes];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(chunk.AsMemory(), receiving.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return $"closed by Slack ({socket.CloseStatus} {socket.CloseStatusDescription})".TrimEnd();
                }

                if (message.Length + result.Count > options.MaxMessageBytes)
                {
                    Log.SocketModeFrameTooLarge(logger, Number, options.MaxMessageBytes);
                    await CloseForAsync(WebSocketCloseStatus.MessageTooBig, "frame too large");
                    return $"a frame over {options.MaxMessageBytes} bytes";
                }

                message.Write(chunk, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }

                if (result.MessageType == WebSocketMessageType.Text)
                {
                    await OnFrameAsync(message.GetBuffer().AsMemory(0, (int)message.Length));
                }

                message.SetLength(0);
            }
        }
        catch (OperationCanceledException) when (receiving.IsCancellationRequested)
        {
            return "closed by CatWrangler";
        }
        catch (Exception e)
        {
            // Whatever ends the socket (a reset, a missing pong, a disposed stream), the connection must report its end.
            return e.Message;
        }
    }

    private async Task OnFrameAsync(ReadOnlyMemory<byte> utf8)
    {
        SocketModeFrame? frame;
        try
        {
            frame = JsonSerializer.Deserialize<SocketModeFrame>(utf8.Span, SlackJson.Options);
        }
        catch (JsonException)
        {
            Log.SocketModeBadFrame(logger, Number);
            return;
        }

        switch (frame)
        {
            case { Type: SocketModeFrame.Hello }:
                hello.TrySetResult(frame);
                break;
            case { Type: SocketModeFrame.Disconnect }:
                var reason = frame.Reason ?? "no reason given";
                Log.SocketModeRefresh(logger, Number, reason);
                signals.TryWrite(new SocketModeSignal(
                    this, reason == "link_disabled" ? SocketModeSignalKind.LinkDisabled : SocketModeSignalKind.RefreshWanted, reason));
                break;
            case { EnvelopeId: { } } when !closing:
                // A full set of slots holds up reading; Slack redelivers whatever waits past its deadline.
                await slots.WaitAsync(receiving.Token);
                var id = Interlocked.Increment(ref envelopeCount);
                inFlight[id] = HandleEnvelopeAsync(id, frame);
                break;
            default:
                break;
        }
    }

    private async Task HandleEnvelopeAsync(long id, SocketModeFrame envelope)
    {
        await Task.Yield();
        try
        {
            var ack = await dispatcher.HandleAsync(envelope, handlers.Token);
            await SendAsync(ack, handlers.Token);
            Log.SocketModeAcked(logger, ack.EnvelopeId, envelope.Type, envelope.RetryAttempt);
        }
        catch (Exception e)
        {
            // No ack: Slack delivers the envelope again, and the intake's idempotency keys make that harmless.
            Log.SocketModeEnvelopeFailed(logger, e, envelope.EnvelopeId!, envelope.Type, envelope.RetryAttempt);
        }
        finally
        {
            slots.Release();
            inFlight.TryRemove(id, out _);
        }
    }

    private async Task SendAsync(SocketModeAck ack, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(ack, SlackJson.Options);
        await sendLock.WaitAsync(cancellationToken);
        try
        {
            await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            sendLock.Release();
        }
    }

    private async Task CloseForAsync(WebSocketCloseStatus status, string description)
    {
        closing = true;
        await sendLock.WaitAsync();
        try
        {
            using var timeout = new CancellationTokenSource(CloseHandshakeTimeout, time);
            await socket.CloseOutputAsync(status, description, timeout.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The socket is dropped below either way.
        }
        finally
        {
            sendLock.Release();
        }
    }

    /// <summary>Waits (bounded) for the envelopes already being handled, so their acknowledgements go out.</summary>
    private async Task DrainAsync()
    {
        var deadline = time.GetUtcNow() + options.DrainTimeout;
        while (!inFlight.IsEmpty && time.GetUtcNow() < deadline)
        {
            try
            {
                await Task.WhenAll(inFlight.Values).WaitAsync(deadline - time.GetUtcNow(), time);
            }
            catch (TimeoutException)
            {
                break;
            }
        }
    }

    /// <summary>Asks for a replacement shortly before Slack's announced connection time runs out (Slack also sends a disconnect).</summary>
    private void ScheduleRefresh(int? approximateSeconds)
    {
        if (approximateSeconds is not > 0)
        {
            return;
        }

        var lifetime = TimeSpan.FromSeconds(approximateSeconds.Value);
        var margin = TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(1).Ticks, lifetime.Ticks / 10));
        _ = Task.Delay(lifetime - margin, time, receiving.Token).ContinueWith(
            _ => signals.TryWrite(new SocketModeSignal(this, SocketModeSignalKind.RefreshWanted, "connection time nearly over")),
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnRanToCompletion,
            TaskScheduler.Default);
    }
}
