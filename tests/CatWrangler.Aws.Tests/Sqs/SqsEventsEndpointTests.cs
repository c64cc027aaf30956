using System.Collections.Concurrent;
using System.Net;
using Amazon.SQS;
using CatWrangler.Adapters.Aws;
using CatWrangler.Aws.Tests.Emulators;
using CatWrangler.Core.Ports;
using CatWrangler.Processor.Sqs;
using CatWrangler.TestSupport;

namespace CatWrangler.Aws.Tests.Sqs;

/// <summary><c>POST /events</c> fed with real batches received from the SQS emulator.</summary>
[Trait("Category", "Aws")]
public sealed class SqsEventsEndpointTests(AwsEmulators emulators) : SqsEmulatorTest(emulators)
{
    private readonly ConcurrentQueue<(WorkItem Item, int ReceiveCount)> _calls = new();

    private async Task<(AwsOptions Options, string DeadLetterQueueUrl)> FreshQueueAsync(int maxReceiveCount = 3, int visibilitySeconds = 30)
    {
        var (queue, dlq) = await AwsEmulators.CreateQueuePairAsync("events-" + Guid.NewGuid().ToString("N")[..10], maxReceiveCount, visibilitySeconds);
        return (Emulated with { QueueUrl = queue }, dlq);
    }

    /// <summary>
    /// local-aws-sqs counts every ChangeMessageVisibility as a receive and dead-letters on expiry once the count reaches
    /// maxReceiveCount (real SQS does neither), so tests that count receives run without heartbeats.
    /// </summary>
    private static readonly Dictionary<string, string?> NoHeartbeat = new() { ["CatWrangler:Processor:HeartbeatInterval"] = "00:00:00" };

    private WorkItemHandler Recording(Func<WorkItem, WorkOutcome> decide)
        => (item, receiveCount, _) =>
        {
            _calls.Enqueue((item, receiveCount));
            return Task.FromResult(decide(item));
        };

    [Fact]
    public async Task A_batch_with_one_failing_record_reports_exactly_that_record()
    {
        var (options, _) = await FreshQueueAsync();
        var queue = new SqsWorkQueue(Sqs, options, TimeProvider.System);
        foreach (var id in new[] { "good-1", "bad", "good-2" })
        {
            await queue.EnqueueAsync(new WorkItem(id, WorkKind.Process), TimeSpan.Zero, TestContext.Current.CancellationToken);
        }

        var messages = await SqsTestKit.ReceiveAsync(Sqs, options.QueueUrl, 3, TimeSpan.FromSeconds(5));
        Assert.Equal(3, messages.Count);
        var bad = messages.Single(m => SqsWorkMessage.TryParse(m.Body)!.ScanId == "bad");

        await using var host = await EventsHost.StartAsync(options, Recording(item => item.ScanId == "bad" ? throw new TimeoutException("detector timed out") : WorkOutcome.Done));
        var batch = SqsTestKit.LambdaEvent(await SqsTestKit.QueueArnAsync(Sqs, options.QueueUrl), messages.Select(m => (m, 1)));
        using var response = await host.PostEventAsync(batch);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([bad.MessageId], SqsTestKit.FailedIds(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)));
        Assert.Equal(messages.Select(m => SqsWorkMessage.TryParse(m.Body)!.ScanId), _calls.Select(c => c.Item.ScanId));
    }

    [Fact]
    public async Task The_receive_count_from_the_event_reaches_the_handler()
    {
        var (options, _) = await FreshQueueAsync();
        await new SqsWorkQueue(Sqs, options, TimeProvider.System).EnqueueAsync(new WorkItem("scan-rc", WorkKind.Callback, 2), TimeSpan.Zero, TestContext.Current.CancellationToken);
        var message = Assert.Single(await SqsTestKit.ReceiveAsync(Sqs, options.QueueUrl, 1, TimeSpan.FromSeconds(5)));

        await using var host = await EventsHost.StartAsync(options, Recording(_ => WorkOutcome.Done));
        using var response = await host.PostEventAsync(SqsTestKit.LambdaEvent("arn:aws:sqs:us-east-1:123456789012:q", [(message, 4)]));

        Assert.Empty(SqsTestKit.FailedIds(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)));
        var (item, receiveCount) = Assert.Single(_calls);
        Assert.Equal(new WorkItem("scan-rc", WorkKind.Callback, 2), item);
        Assert.Equal(4, receiveCount);
    }

    [Fact]
    public async Task A_message_that_keeps_failing_ends_in_the_dead_letter_queue()
    {
        var (options, dlq) = await FreshQueueAsync(maxReceiveCount: 2, visibilitySeconds: 1);
        await Sqs.SendMessageAsync(options.QueueUrl, "this is not a work item", TestContext.Current.CancellationToken);
        await using var host = await EventsHost.StartAsync(options, Recording(_ => WorkOutcome.Done), NoHeartbeat);
        var arn = await SqsTestKit.QueueArnAsync(Sqs, options.QueueUrl);

        for (var receive = 1; receive <= 2; receive++)
        {
            var message = Assert.Single(await SqsTestKit.ReceiveAsync(Sqs, options.QueueUrl, 1, TimeSpan.FromSeconds(5)));
            using var response = await host.PostEventAsync(SqsTestKit.LambdaEvent(arn, [(message, receive)]));
            Assert.Equal([message.MessageId], SqsTestKit.FailedIds(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)));
        }

        // After maxReceiveCount receives the redrive policy moves it to the DLQ instead of delivering it again.
        var dead = Assert.Single(await SqsTestKit.ReceiveAsync(Sqs, dlq, 1, TimeSpan.FromSeconds(10)));
        Assert.Equal(QueueCounts.Empty, await SqsTestKit.CountsAsync(Sqs, options.QueueUrl));
        Assert.Equal("this is not a work item", dead.Body);
        Assert.Empty(_calls);
    }

    [Fact]
    public async Task Retry_later_fails_the_record_and_hides_it_for_the_requested_delay()
    {
        // The queue's own visibility timeout is 30 s; the handler asks for 1 s.
        var (options, _) = await FreshQueueAsync(visibilitySeconds: 30);
        await new SqsWorkQueue(Sqs, options, TimeProvider.System).EnqueueAsync(new WorkItem("scan-retry", WorkKind.Process), TimeSpan.Zero, TestContext.Current.CancellationToken);
        var message = Assert.Single(await SqsTestKit.ReceiveAsync(Sqs, options.QueueUrl, 1, TimeSpan.FromSeconds(5)));

        await using var host = await EventsHost.StartAsync(options, Recording(_ => new WorkOutcome.RetryLater(TimeSpan.FromSeconds(1), "detector busy")), NoHeartbeat);
        using var response = await host.PostEventAsync(SqsTestKit.LambdaEvent("arn:aws:sqs:us-east-1:123456789012:q", [(message, 1)]));

        Assert.Equal([message.MessageId], SqsTestKit.FailedIds(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)));
        var again = Assert.Single(await SqsTestKit.ReceiveAsync(Sqs, options.QueueUrl, 1, TimeSpan.FromSeconds(6)));
        Assert.Equal(message.MessageId, again.MessageId);
    }

    [Fact]
    public async Task A_message_received_before_its_due_time_is_sent_on_instead_of_processed()
    {
        var (options, _) = await FreshQueueAsync();
        var early = new SqsWorkMessage("scan-hop", WorkKind.Callback, 4, DateTimeOffset.UtcNow.AddHours(2));
        var due = new SqsWorkMessage("scan-due", WorkKind.Callback, 4, DateTimeOffset.UtcNow.AddSeconds(-1));
        await Sqs.SendMessageAsync(options.QueueUrl, early.ToJson(), TestContext.Current.CancellationToken);
        await Sqs.SendMessageAsync(options.QueueUrl, due.ToJson(), TestContext.Current.CancellationToken);
        var messages = await SqsTestKit.ReceiveAsync(Sqs, options.QueueUrl, 2, TimeSpan.FromSeconds(5));

        await using var host = await EventsHost.StartAsync(options, Recording(_ => WorkOutcome.Done));
        using var response = await host.PostEventAsync(SqsTestKit.LambdaEvent("arn:aws:sqs:us-east-1:123456789012:q", messages.Select(m => (m, 1))));

        Assert.Empty(SqsTestKit.FailedIds(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)));
        Assert.Equal(["scan-due"], _calls.Select(c => c.Item.ScanId));
        var attributes = await Sqs.GetQueueAttributesAsync(options.QueueUrl, ["ApproximateNumberOfMessagesDelayed"], TestContext.Current.CancellationToken);
        Assert.Equal("1", attributes.Attributes["ApproximateNumberOfMessagesDelayed"]);
    }

    [Fact]
    public async Task With_poll_queue_the_host_consumes_the_queue_itself_and_deletes_only_successes()
    {
        var (options, _) = await FreshQueueAsync(maxReceiveCount: 10, visibilitySeconds: 1);
        var queue = new SqsWorkQueue(Sqs, options, TimeProvider.System);
        await queue.EnqueueAsync(new WorkItem("polled-ok", WorkKind.Process), TimeSpan.Zero, TestContext.Current.CancellationToken);
        await queue.EnqueueAsync(new WorkItem("polled-bad", WorkKind.Process), TimeSpan.Zero, TestContext.Current.CancellationToken);

        await using var host = await EventsHost.StartAsync(
            options,
            Recording(item => item.ScanId == "polled-bad" ? throw new IOException("disk on fire") : WorkOutcome.Done),
            new Dictionary<string, string?> { ["CatWrangler:Aws:PollQueue"] = "true", ["CatWrangler:Aws:PollWait"] = "00:00:00" });

        // The failing one comes back after its 1 s visibility timeout; the deleted one never does.
        await Eventually.TrueAsync(() => _calls.Count(c => c.Item.ScanId == "polled-bad") >= 2, TimeSpan.FromSeconds(10), "the failed message came back");
        await host.StopAsync();
        Assert.Equal(1, await SqsTestKit.SettledAsync(Sqs, options.QueueUrl, TimeSpan.FromSeconds(10)));
        Assert.Equal("polled-bad", SqsWorkMessage.TryParse(Assert.Single(await SqsTestKit.ReceiveNowAsync(Sqs, options.QueueUrl)).Body)!.ScanId);
        Assert.Single(_calls, c => c.Item.ScanId == "polled-ok");
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"something":"else"}""")]
    public async Task A_body_that_is_not_an_sqs_event_is_a_400_problem(string body)
    {
        await using var host = await EventsHost.StartAsync(Emulated, Recording(_ => WorkOutcome.Done));
        using var response = await host.PostEventAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(_calls);
    }
}
