using Amazon.SQS;
using CatWrangler.Adapters.Aws;
using CatWrangler.Aws.Tests.Emulators;
using CatWrangler.Core.Ports;

namespace CatWrangler.Aws.Tests.Sqs;

[Trait("Category", "Aws")]
public sealed class SqsWorkQueueTests(AwsEmulators emulators) : IAsyncLifetime
{
    private AmazonSQSClient? _sqs;
    private string _queueUrl = "";

    public async ValueTask InitializeAsync()
    {
        await emulators.StartAsync();
        _sqs = new AmazonSQSClient();
        (_queueUrl, _) = await AwsEmulators.CreateQueuePairAsync("queue-" + Guid.NewGuid().ToString("N")[..10], 3, 30);
    }

    public ValueTask DisposeAsync()
    {
        _sqs?.Dispose();
        return ValueTask.CompletedTask;
    }

    private SqsWorkQueue Queue() => new(_sqs!, new AwsOptions { QueueUrl = _queueUrl }, TimeProvider.System);

    [Fact]
    public async Task Enqueued_items_arrive_with_body_and_message_attributes()
    {
        await Queue().EnqueueAsync(new WorkItem("scan-1", WorkKind.Callback, 3), TimeSpan.Zero, TestContext.Current.CancellationToken);

        var message = Assert.Single(await SqsTestKit.ReceiveAsync(_sqs!, _queueUrl, 1, TimeSpan.FromSeconds(5)));
        var parsed = SqsWorkMessage.TryParse(message.Body);

        Assert.Equal(new WorkItem("scan-1", WorkKind.Callback, 3), parsed!.ToWorkItem());
        Assert.Null(parsed.NotBefore);
        Assert.Equal("scan-1", message.MessageAttributes["scanId"].StringValue);
        Assert.Equal("Callback", message.MessageAttributes["kind"].StringValue);
    }

    [Fact]
    public async Task A_payload_travels_with_the_item_and_survives_a_long_delay_hop()
    {
        var item = new WorkItem("answer-1", WorkKind.SlackCommand, Payload: """{"text":"status","response_url":"https://hooks.example/commands/1"}""");
        await Queue().EnqueueAsync(item, TimeSpan.Zero, TestContext.Current.CancellationToken);

        var message = Assert.Single(await SqsTestKit.ReceiveAsync(_sqs!, _queueUrl, 1, TimeSpan.FromSeconds(5)));

        Assert.Equal(item, SqsWorkMessage.TryParse(message.Body)!.ToWorkItem());
        var hopped = SqsWorkMessage.From(item, DateTimeOffset.UtcNow.AddHours(1));
        Assert.Equal(item, SqsWorkMessage.TryParse(hopped.ToJson())!.ToWorkItem());
    }

    [Fact]
    public async Task A_short_delay_postpones_visibility()
    {
        await Queue().EnqueueAsync(new WorkItem("scan-2", WorkKind.Process), TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);

        Assert.Equal(new QueueCounts(0, 0, 1), await SqsTestKit.CountsAsync(_sqs!, _queueUrl));
        Assert.Empty(await SqsTestKit.ReceiveNowAsync(_sqs!, _queueUrl));
        Assert.Single(await SqsTestKit.ReceiveAsync(_sqs!, _queueUrl, 1, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_delay_beyond_15_minutes_is_held_back_by_sqs_and_carries_its_due_time()
    {
        await Queue().EnqueueAsync(new WorkItem("scan-3", WorkKind.Callback, 5), TimeSpan.FromHours(5), TestContext.Current.CancellationToken);

        Assert.Empty(await SqsTestKit.ReceiveNowAsync(_sqs!, _queueUrl));
        var attributes = await _sqs!.GetQueueAttributesAsync(_queueUrl, ["ApproximateNumberOfMessagesDelayed"], TestContext.Current.CancellationToken);
        Assert.Equal("1", attributes.Attributes["ApproximateNumberOfMessagesDelayed"]);
    }

    [Fact]
    public void Messages_that_are_not_work_items_do_not_parse()
    {
        Assert.Null(SqsWorkMessage.TryParse(null));
        Assert.Null(SqsWorkMessage.TryParse("not json"));
        Assert.Null(SqsWorkMessage.TryParse("""{"kind":"process"}"""));
        Assert.Null(SqsWorkMessage.TryParse("""{"scanId":"x","kind":"explode"}"""));
        Assert.NotNull(SqsWorkMessage.TryParse("""{"scanId":"x","kind":"process"}"""));
    }
}
