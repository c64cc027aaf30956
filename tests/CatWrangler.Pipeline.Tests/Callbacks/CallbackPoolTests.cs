using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using CatWrangler.Adapters.Http;
using CatWrangler.Adapters.Local;
using CatWrangler.Core.Pipeline;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;
using CatWrangler.Core.Security;
using CatWrangler.Processor;
using CatWrangler.Processor.Local;
using CatWrangler.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace CatWrangler.Pipeline.Tests.Callbacks;

/// <summary>Callback deliveries run beside the worker loops: receivers that never answer do not hold up classification.</summary>
public sealed class CallbackPoolTests : IAsyncDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("catwrangler-callback-pool-").FullName;
    private readonly SqliteDatabase _database;
    private readonly SqliteScanStore _scans;
    private readonly SqliteWorkQueue _queue;
    private readonly TcpListener _silentReceiver = new(IPAddress.Loopback, 0);
    private readonly List<TcpClient> _heldConnections = [];
    private readonly Channel<TcpClient> _accepted = Channel.CreateUnbounded<TcpClient>();

    public CallbackPoolTests()
    {
        _database = new SqliteDatabase(_dir);
        _scans = new SqliteScanStore(_database, TimeProvider.System);
        _queue = new SqliteWorkQueue(_database, TimeProvider.System);
        _silentReceiver.Start();
        _ = AcceptForeverAsync();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync()
    {
        _silentReceiver.Stop();
        _heldConnections.ForEach(c => c.Dispose());
        _database.Dispose();
        Directory.Delete(_dir, recursive: true);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Another_clients_scan_completes_while_twenty_callbacks_are_held_open_by_their_receiver()
    {
        var callbackUrl = $"http://127.0.0.1:{((IPEndPoint)_silentReceiver.LocalEndpoint).Port}/hook";
        for (var i = 0; i < 20; i++)
        {
            var scan = DoneScan(callbackUrl);
            await _scans.TryCreateAsync(scan, Ct);
            await new CallbackNotifier(_queue).OnCompletedAsync(scan, Ct);
        }

        var options = new CallbackOptions { AllowPrivateNetworks = true };
        await using var provider = new ServiceCollection().AddSingleton(options).AddHttpCallbackTransport().BuildServiceProvider();
        var secrets = new ConfigurationSecretStore(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["CatWrangler:Clients:acme:Secrets:0"] = StandardWebhooksSignature.NewSecret() }).Build());
        var sender = new CallbackSender(_scans, _queue, secrets, new CallbackUrlPolicy(options), provider.GetRequiredService<ICallbackTransport>(),
            TimeProvider.System, NullLogger<CallbackSender>.Instance);
        using var dispatcher = new CallbackDispatcher(_scans, sender, options, NullLogger<CallbackDispatcher>.Instance);
        var classified = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<WorkOutcome> Classify(WorkItem item, int receiveCount, CancellationToken cancellationToken)
        {
            classified.TrySetResult(item.ScanId);
            return Task.FromResult(WorkOutcome.Done);
        }

        var processor = new ProcessorOptions { Concurrency = 2, ConcurrencyWhileAccepting = 2 };
        using var worker = new LocalQueueWorker(_queue, dispatcher.Wrap(Classify), new AcceptActivity(TimeProvider.System), processor, TimeProvider.System, NullLogger<LocalQueueWorker>.Instance);
        await worker.StartAsync(Ct);

        // Wait until the receiver holds as many deliveries as it may get; none of them is ever answered.
        for (var i = 0; i < options.MaxConcurrentPerDestination; i++)
        {
            _heldConnections.Add(await _accepted.Reader.ReadAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30), Ct));
        }

        await _queue.EnqueueAsync(new WorkItem("client-b-scan", WorkKind.Process), TimeSpan.Zero, Ct);

        Assert.Equal("client-b-scan", await classified.Task.WaitAsync(TimeSpan.FromSeconds(8), Ct));
        Assert.Equal(options.MaxConcurrentPerDestination, dispatcher.InFlight);
        Assert.False(_accepted.Reader.TryRead(out _), "the receiver got more deliveries at once than its share of the pool");
        await worker.StopAsync(Ct);
    }

    private async Task AcceptForeverAsync()
    {
        try
        {
            while (true)
            {
                await _accepted.Writer.WriteAsync(await _silentReceiver.AcceptTcpClientAsync());
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            _accepted.Writer.TryComplete();
        }
    }

    private static Scan DoneScan(string callbackUrl) => new()
    {
        Id = Scan.NewId(),
        Status = ScanStatus.Done,
        Source = ScanSource.FromApi(new ApiOrigin("acme", callbackUrl, null)),
        Verdict = new Verdict(true, 0.91, [], [], "onnx-centernet", "test", 0.2),
        ReceivedAt = DateTimeOffset.UtcNow,
        CompletedAt = DateTimeOffset.UtcNow,
        ExpiresAt = DateTimeOffset.UtcNow.AddDays(30),
    };
}
