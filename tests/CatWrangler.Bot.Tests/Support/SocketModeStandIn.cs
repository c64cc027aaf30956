using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CatWrangler.Bot.Tests.Support;

/// <summary>
/// Slack's Socket Mode side, on a real Kestrel WebSocket at 127.0.0.1: says <c>hello</c> on each connection, sends
/// envelopes built from the JSON fixtures, records acknowledgements by <c>envelope_id</c>, and, as Slack does,
/// delivers every envelope that was not acknowledged again (<c>retry_attempt</c> + 1) once the connection it went out on
/// is gone. <see cref="FakeSlack"/> answers <c>apps.connections.open</c> with <see cref="Url"/>.
/// </summary>
internal sealed class SocketModeStandIn : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly Lock gate = new();
    private readonly List<StandInConnection> connections = [];
    private readonly Dictionary<string, StandInDelivery> deliveries = [];
    private readonly List<StandInDelivery> waiting = [];
    private readonly List<(DateTime At, string Line)> transcript = [];
    private int envelopeCount;

    private SocketModeStandIn(WebApplication app) => this.app = app;

    /// <summary>What <c>hello</c> announces as the connection's lifetime, in seconds (Slack's example says 18060).</summary>
    public int ApproximateConnectionTime { get; set; } = 18060;

    public Uri Url { get; private set; } = null!;

    /// <summary>Numbers of connections that say hello and then answer nothing, not even pings.</summary>
    public HashSet<int> SilentConnections { get; } = [];

    /// <summary>Every frame in order: <c>-&gt;</c> Slack to the app, <c>&lt;-</c> the app to Slack, <c>--</c> connection events.</summary>
    public IReadOnlyList<string> Transcript => [.. TimedTranscript.Select(t => t.Line)];

    /// <summary><see cref="Transcript"/> with the time (UTC) of each line, to merge with the Web API calls.</summary>
    public IReadOnlyList<(DateTime At, string Line)> TimedTranscript
    {
        get
        {
            lock (gate)
            {
                return [.. transcript];
            }
        }
    }

    public IReadOnlyList<StandInConnection> Connections
    {
        get
        {
            lock (gate)
            {
                return [.. connections];
            }
        }
    }

    public static async Task<SocketModeStandIn> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseKestrelCore().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var standIn = new SocketModeStandIn(app);
        app.UseWebSockets();
        app.Map("/link", standIn.AcceptAsync);
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        standIn.Url = new Uri($"ws://{address.Authority}/link/?ticket=0f1e2d3c-standin&app_id=A0CATSCAN");
        return standIn;
    }

    /// <summary>Waits until connection <paramref name="number"/> (1-based) has been greeted.</summary>
    public async Task<StandInConnection> ConnectionAsync(int number, TimeSpan timeout)
    {
        await Eventually(() => Connections.Count >= number, timeout, $"connection {number} was not opened");
        var connection = Connections[number - 1];
        await connection.Greeted.WaitAsync(timeout);
        return connection;
    }

    /// <summary>Sends an envelope on the newest open connection (or the next one to open) and returns its record.</summary>
    public async Task<StandInDelivery> DeliverAsync(string type, string payload, bool acceptsResponsePayload = false)
    {
        var delivery = new StandInDelivery("5b2d1c0e-7a3f-4e1d-9c8b-" + Interlocked.Increment(ref envelopeCount).ToString("D12", CultureInfo.InvariantCulture), type, payload, acceptsResponsePayload);
        lock (gate)
        {
            deliveries[delivery.EnvelopeId] = delivery;
        }

        await SendAsync(delivery, Newest());
        return delivery;
    }

    public static string Hello(int numConnections, int approximateConnectionTime) => Fixtures.Load("socket_hello.json", new Dictionary<string, string>
    {
        ["num_connections"] = numConnections.ToString(CultureInfo.InvariantCulture),
        ["approximate_connection_time"] = approximateConnectionTime.ToString(CultureInfo.InvariantCulture),
    });

    public static string Disconnect(string reason) => Fixtures.Load("socket_disconnect.json", new Dictionary<string, string> { ["reason"] = reason });

    public static string SlashCommand(string text, string responseUrl, string channel = Fixtures.Channel, string user = Fixtures.Alice)
        => Fixtures.Load("socket_slash_command_payload.json", new Dictionary<string, string>
        {
            ["channel"] = channel,
            ["user"] = user,
            ["text"] = text,
            ["response_url"] = responseUrl,
        });

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in Connections)
        {
            connection.Drop();
            connection.Thaw();
        }

        await app.StopAsync();
        await app.DisposeAsync();
    }

    internal void Record(string line)
    {
        lock (gate)
        {
            transcript.Add((DateTime.UtcNow, line));
        }
    }

    private StandInConnection? Newest()
    {
        lock (gate)
        {
            return connections.LastOrDefault(c => c.IsOpen);
        }
    }

    private async Task SendAsync(StandInDelivery delivery, StandInConnection? connection)
    {
        if (connection is null)
        {
            lock (gate)
            {
                waiting.Add(delivery);
            }

            return;
        }

        string frame;
        lock (gate)
        {
            delivery.SentOn.Add(connection.Number);
            frame = Fixtures.Load("socket_envelope.json", new Dictionary<string, string>
            {
                ["envelope_id"] = delivery.EnvelopeId,
                ["payload"] = delivery.Payload,
                ["type"] = delivery.Type,
                ["accepts_response_payload"] = delivery.AcceptsResponsePayload ? "true" : "false",
                ["retry_attempt"] = (delivery.SentOn.Count - 1).ToString(CultureInfo.InvariantCulture),
                ["retry_reason"] = delivery.SentOn.Count > 1 ? "timeout" : "",
            });
        }

        await connection.SendAsync(frame);
    }

    private async Task AcceptAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        StandInConnection connection;
        int open;
        lock (gate)
        {
            connection = new StandInConnection(this, connections.Count + 1, socket, context);
            connections.Add(connection);
            open = connections.Count(c => c.IsOpen);
        }

        Record($"-- connection {connection.Number} opened");
        await connection.SendAsync(Hello(open, ApproximateConnectionTime));
        connection.MarkGreeted();
        if (SilentConnections.Contains(connection.Number))
        {
            connection.Silence();
        }

        await FlushWaitingAsync(connection);
        await connection.ReceiveAsync(OnAck);
        Record($"-- connection {connection.Number} closed: {connection.CloseReason}");
        await RedeliverAsync(connection);
    }

    private void OnAck(StandInConnection connection, JsonElement ack)
    {
        if (!ack.TryGetProperty("envelope_id", out var id) || id.GetString() is not { } envelopeId)
        {
            return;
        }

        lock (gate)
        {
            if (!deliveries.TryGetValue(envelopeId, out var delivery))
            {
                return;
            }

            if (connection.IgnoreAcks)
            {
                // Lost on the way: Slack never saw it, so the envelope counts as unacknowledged.
                delivery.LostAcks.Add(ack.Clone());
                return;
            }

            delivery.Acked(ack.Clone());
        }
    }

    /// <summary>Slack's rule: what was not acknowledged on a connection that is gone is delivered again.</summary>
    private async Task RedeliverAsync(StandInConnection closed)
    {
        List<StandInDelivery> again;
        lock (gate)
        {
            again = [.. deliveries.Values.Where(d => !d.Ack.IsCompleted && d.SentOn.Count > 0 && d.SentOn[^1] == closed.Number)];
        }

        foreach (var delivery in again)
        {
            await SendAsync(delivery, Newest());
        }
    }

    private async Task FlushWaitingAsync(StandInConnection connection)
    {
        List<StandInDelivery> pending;
        lock (gate)
        {
            pending = [.. waiting];
            waiting.Clear();
        }

        foreach (var delivery in pending)
        {
            await SendAsync(delivery, connection);
        }
    }

    private static async Task Eventually(Func<bool> condition, TimeSpan timeout, string because)
        => await CatWrangler.TestSupport.Eventually.TrueAsync(condition, timeout, because);
}
