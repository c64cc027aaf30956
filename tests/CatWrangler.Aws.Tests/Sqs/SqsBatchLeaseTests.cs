using Amazon.SQS;
using CatWrangler.Adapters.Aws;
using CatWrangler.Aws.Tests.Emulators;
using CatWrangler.Core.Ports;
using CatWrangler.Processor.Sqs;
using Microsoft.Extensions.DependencyInjection;

using CatWrangler.TestSupport;

namespace CatWrangler.Aws.Tests.Sqs;

/// <summary>
/// The heartbeat on SQS (<c>ChangeMessageVisibility</c> of the in-flight records) against the emulator: a long job is
/// never received twice, and the records of a batch whose process died come back within one short lease instead of
/// the queue's long visibility timeout.
/// </summary>
[Trait("Category", "Aws")]
public sealed class SqsBatchLeaseTests(AwsEmulators emulators) : SqsEmulatorTest(emulators)
{
    private static readonly Dictionary<string, string?> ShortLeases = new()
    {
        ["CatWrangler:Processor:LeaseDuration"] = "00:00:02",
        ["CatWrangler:Processor:HeartbeatInterval"] = "00:00:00.5",
    };

    [Fact]
    public async Task A_job_running_longer_than_the_visibility_timeout_is_not_received_again()
    {
        var options = await QueueAsync(visibilitySeconds: 1);
        await new SqsWorkQueue(Sqs, options, TimeProvider.System).EnqueueAsync(new WorkItem("scan-long", WorkKind.Process), TimeSpan.Zero, TestContext.Current.CancellationToken);
        var message = Assert.Single(await SqsTestKit.ReceiveAsync(Sqs, options.QueueUrl, 1, TimeSpan.FromSeconds(5)));
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await EventsHost.StartAsync(options, async (_, _, ct) =>
        {
            started.TrySetResult();
            await release.Task.WaitAsync(ct);
            return WorkOutcome.Done;
        }, ShortLeases);

        var invocation = WebAdapterContract.InvokeAsync(host.Http, SqsTestKit.LambdaEvent("arn:aws:sqs:us-east-1:123456789012:q", [(message, 1)]));
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        // Four times the queue's visibility timeout, two whole leases: the heartbeat keeps it hidden throughout.
        await Eventually.HoldsThroughoutAsync(
            async () => (await SqsTestKit.ReceiveNowAsync(Sqs, options.QueueUrl)).Count == 0, TimeSpan.FromSeconds(4), "the running job's message was received again");
        release.SetResult();
        Assert.Empty(WebAdapterContract.Redelivered(await invocation, [message.MessageId]));
    }

    [Fact]
    public async Task Records_of_a_batch_whose_process_died_come_back_within_one_lease()
    {
        var options = await QueueAsync(visibilitySeconds: 120);
        await new SqsWorkQueue(Sqs, options, TimeProvider.System).EnqueueAsync(new WorkItem("scan-orphan", WorkKind.Process), TimeSpan.Zero, TestContext.Current.CancellationToken);
        var message = Assert.Single(await SqsTestKit.ReceiveAsync(Sqs, options.QueueUrl, 1, TimeSpan.FromSeconds(5)));
        await using var host = await EventsHost.StartAsync(options, (_, _, _) => Task.FromResult(WorkOutcome.Done), ShortLeases);
        var handler = host.Services.GetRequiredService<SqsRecordHandler>();

        // The batch starts (its first heartbeat shortens the visibility to one lease) and its process dies: the heartbeat
        // stops and nothing is released or answered.
        var lease = handler.StartLease([new SqsEventRecord(message.MessageId, message.ReceiptHandle, message.Body, null)]);
        await Eventually.HoldsThroughoutAsync(
            async () => (await SqsTestKit.ReceiveNowAsync(Sqs, options.QueueUrl)).Count == 0, TimeSpan.FromSeconds(1), "the leased message was received while its lease ran");
        await lease.DisposeAsync();

        // Back within the 2 s lease (plus polling), not after the queue's 120 s visibility timeout.
        var again = Assert.Single(await SqsTestKit.ReceiveAsync(Sqs, options.QueueUrl, 1, TimeSpan.FromSeconds(10)));
        Assert.Equal(message.MessageId, again.MessageId);
    }

    private async Task<AwsOptions> QueueAsync(int visibilitySeconds)
    {
        var (queue, _) = await AwsEmulators.CreateQueuePairAsync("lease-" + Guid.NewGuid().ToString("N")[..10], 5, visibilitySeconds);
        return Emulated with { QueueUrl = queue };
    }
}
