using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SimpleSystemsManagement;
using Amazon.SQS;
using Amazon.SQS.Model;
using CatWrangler.Adapters.Aws;
using CatWrangler.Adapters.Aws.Configuration;
using CatWrangler.Aws.Tests.Emulators;
using CatWrangler.Aws.Tests.Sqs;
using CatWrangler.Core.Detection;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;
using CatWrangler.Core.Security;
using CatWrangler.Platform;
using CatWrangler.ServiceDefaults;
using CatWrangler.Processor;
using CatWrangler.Processor.Sqs;
using CatWrangler.TestSupport;
using CatWrangler.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace CatWrangler.Aws.Tests.Pipeline;

/// <summary>
/// The whole flow with CatWrangler:Platform=aws against the emulators: signed API upload (webhooks host) → S3 →
/// DynamoDB → SQS → processor host <c>POST /events</c> with the batch received from SQS → the real ScanProcessor with the
/// Rekognition detector (its AWS endpoint is WireMock) → verdict in DynamoDB → callback message on SQS → signed callback
/// (WireMock). Nothing of the processor is replaced; only the AWS services without an emulator are WireMock.
/// </summary>
[Trait("Category", "Aws")]
public sealed class AwsPipelineTests(AwsEmulators emulators) : IAsyncLifetime
{
    private const string Client = "acme";
    private const int MaxReceiveCount = 2;

    /// <summary>
    /// The redrive policy given to the emulator for <see cref="MaxReceiveCount"/> real receives: local-aws-sqs also counts
    /// ChangeMessageVisibility as a receive (real SQS does not), so each retried receive costs it two and the last one,
    /// reported failed without a visibility change, one.
    /// </summary>
    private const int EmulatorMaxReceiveCount = (2 * MaxReceiveCount) - 1;
    private static readonly string Secret = StandardWebhooksSignature.NewSecret();
    private readonly WireMockServer _wireMock = Contracts.LoopbackWireMock.Start();
    private readonly List<WebApplication> _apps = [];
    private AwsOptions _options = new();
    private string _deadLetterQueueUrl = "";
    private readonly Dictionary<string, int> _receives = [];
    private AmazonSQSClient? _sqs;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var shared = await emulators.StartAsync();
        (var queue, _deadLetterQueueUrl) = await AwsEmulators.CreateQueuePairAsync("pipeline-" + Guid.NewGuid().ToString("N")[..10], maxReceiveCount: EmulatorMaxReceiveCount, visibilityTimeoutSeconds: 1);
        _options = shared with { QueueUrl = queue };
        _sqs = new AmazonSQSClient();
        _wireMock.Given(Request.Create().WithPath("/hook").UsingPost()).RespondWith(Response.Create().WithStatusCode(204));
        _wireMock
            .Given(Request.Create().UsingPost().WithHeader("X-Amz-Target", "AmazonSSM.GetParametersByPath").WithBody(new WildcardMatcher("*\"Path\":\"/catwrangler/CatWrangler\"*")))
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/x-amz-json-1.1")
                .WithBody(JsonSerializer.Serialize(new
                {
                    Parameters = new[] { new { Name = $"/catwrangler/CatWrangler/Clients/{Client}/Secrets/0", Type = "SecureString", Value = Secret, Version = 1 } },
                })));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        _sqs?.Dispose();
        _wireMock.Stop();
        _wireMock.Dispose();
    }

    private Dictionary<string, string?> Settings() => new()
    {
        ["CatWrangler:Platform"] = "aws",
        ["CatWrangler:Aws:BucketName"] = _options.BucketName,
        ["CatWrangler:Aws:TableName"] = _options.TableName,
        ["CatWrangler:Aws:QueueUrl"] = _options.QueueUrl,
        ["CatWrangler:Aws:ForcePathStyle"] = "true",
        // Not CatWrangler:Processor:MaxAttempts: on aws the processor takes its attempts from the redrive policy.
        ["CatWrangler:Aws:MaxReceiveCount"] = MaxReceiveCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["CatWrangler:Processor:RetryDelay"] = "00:00:00.100",
        // Heartbeats are visibility changes, which local-aws-sqs counts as receives: off, so receives stay countable.
        ["CatWrangler:Processor:HeartbeatInterval"] = "00:00:00",
        ["CatWrangler:Detector:Kind"] = "rekognition",
        ["CatWrangler:Aws:Rekognition:Endpoint"] = _wireMock.Url + "/",
        ["CatWrangler:Aws:Rekognition:Region"] = "us-east-1",
        ["CatWrangler:Callbacks:AllowPrivateNetworks"] = "true",
        // As Terraform names every client: the id is known from configuration, its secret lives only in SSM.
        [$"CatWrangler:Clients:{Client}:Enabled"] = "true",
    };

    private async Task<(Uri Address, IServiceProvider Services)> StartAsync(Action<WebApplicationBuilder> configure, Action<WebApplication> map)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(Settings());

        // No SSM emulator exists: the real SDK client talks to WireMock, which holds the client's secret as a SecureString,
        // read through the same configuration source the hosts add on AWS.
        builder.Configuration.Sources.Add(new SsmParameterConfigurationSource(
            () => new AmazonSimpleSystemsManagementClient(
                new BasicAWSCredentials("AKIDTEST", "secret"),
                new AmazonSimpleSystemsManagementConfig { ServiceURL = _wireMock.Url, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 }),
            new SsmParameterSettings("/catwrangler", ["CatWrangler"], [], TimeSpan.FromMinutes(1)),
            TimeProvider.System,
            error => throw error));
        builder.AddCatWranglerDefaults();
        builder.Services.AddCatWranglerPlatform(builder.Configuration);
        configure(builder);
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        _apps.Add(app);
        return (new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()), app.Services);
    }

    private Task<(Uri Address, IServiceProvider Services)> StartWebhooksAsync()
        => StartAsync(b => b.Services.AddScanApi(b.Configuration), app => app.MapScanApi());

    /// <summary>The processor exactly as <c>ProcessorModule.AddProcessor</c> composes it: the real <c>ScanProcessor</c>.</summary>
    private Task<(Uri Address, IServiceProvider Services)> StartProcessorAsync()
        => StartAsync(b => b.Services.AddProcessor(b.Configuration), app => app.MapProcessor());

    private void StubRekognition(int status, string body)
        => _wireMock
            .Given(Request.Create().WithPath("/").UsingPost().WithHeader("X-Amz-Target", RekognitionCatDetector.Target))
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/x-amz-json-1.1").WithBody(body));

    private async Task<string> SubmitAsync(Uri webhooks, byte[] image)
    {
        using var http = new HttpClient { BaseAddress = webhooks };
        using var content = new ByteArrayContent(image);
        content.Headers.ContentType = new("image/jpeg");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/scans?callback_url=" + Uri.EscapeDataString(_wireMock.Url + "/hook")) { Content = content };
        var id = "msg_" + Guid.NewGuid().ToString("N");
        var at = DateTimeOffset.UtcNow;
        request.Headers.Add(ApiHeaders.Client, Client);
        request.Headers.Add(ApiHeaders.WebhookId, id);
        request.Headers.Add(ApiHeaders.WebhookTimestamp, at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(ApiHeaders.WebhookSignature, StandardWebhooksSignature.Sign(Secret, id, at, image));

        using var response = await http.SendAsync(request, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(Ct));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return json.RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>
    /// What Lambda's SQS event source mapping does: receive up to <paramref name="count"/> messages, POST them as one
    /// event, delete the ones not reported as failed. local-aws-sqs does not report ApproximateReceiveCount, so the
    /// receives of each message are counted here. Returns the messages sent and the ids reported as failed.
    /// </summary>
    private async Task<(IReadOnlyList<Message> Sent, IReadOnlyList<string> Failed)> DeliverAsync(Uri processor, int count = 1)
    {
        var messages = await SqsTestKit.ReceiveAsync(_sqs!, _options.QueueUrl, count, TimeSpan.FromSeconds(10));
        Assert.Equal(count, messages.Count);
        var records = messages.Select(m => (m, _receives[m.MessageId] = _receives.GetValueOrDefault(m.MessageId) + 1)).ToList();
        using var http = new HttpClient { BaseAddress = processor };
        var batch = SqsTestKit.LambdaEvent(await SqsTestKit.QueueArnAsync(_sqs!, _options.QueueUrl), records);
        using var response = await http.PostAsync(SqsEventsEndpoint.Path, new StringContent(batch, System.Text.Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var failed = SqsTestKit.FailedIds(await response.Content.ReadAsStringAsync(Ct));
        foreach (var message in messages.Where(m => !failed.Contains(m.MessageId)))
        {
            await _sqs!.DeleteMessageAsync(_options.QueueUrl, message.ReceiptHandle, Ct);
        }

        return (messages, failed);
    }

    private static WorkItem ItemOf(Message message) => SqsWorkMessage.TryParse(message.Body)!.ToWorkItem();

    private JsonDocument CallbackBody()
    {
        var callback = Assert.Single(_wireMock.LogEntries, e => e.RequestMessage!.Path == "/hook");
        var headers = callback.RequestMessage!.Headers!;
        var check = StandardWebhooksSignature.Verify(
            [Secret],
            headers[StandardWebhooksSignature.IdHeader].First(),
            headers[StandardWebhooksSignature.TimestampHeader].First(),
            headers[StandardWebhooksSignature.SignatureHeader].First(),
            callback.RequestMessage!.BodyAsBytes!,
            DateTimeOffset.UtcNow);
        Assert.Equal(SignatureCheck.Valid, check);
        return JsonDocument.Parse(callback.RequestMessage!.Body!);
    }

    [Fact]
    public async Task A_signed_upload_flows_through_s3_dynamodb_sqs_and_the_processor_to_a_verdict_and_a_callback()
    {
        StubRekognition(200, """{"Labels":[{"Name":"Cat","Confidence":96.5,"Instances":[]}],"LabelModelVersion":"3.0"}""");
        var (webhooks, webhookServices) = await StartWebhooksAsync();
        var (processor, processorServices) = await StartProcessorAsync();
        var image = TestImages.Jpeg(320, 240);

        var scanId = await SubmitAsync(webhooks, image);

        // Accepted: the bytes are in S3 and the scan is queued in DynamoDB before the 202.
        var scans = processorServices.GetRequiredService<IScanStore>();
        var queued = await scans.GetAsync(scanId, Ct);
        Assert.Equal(ScanStatus.Queued, queued!.Status);
        using (var s3 = new AmazonS3Client(new AmazonS3Config { ForcePathStyle = true }))
        using (var obj = await s3.GetObjectAsync(_options.BucketName, queued.Image!.StorageKey, Ct))
        {
            using var buffer = new MemoryStream();
            await obj.ResponseStream.CopyToAsync(buffer, Ct);
            Assert.Equal(SHA256.HashData(image), SHA256.HashData(buffer.ToArray()));
            Assert.Equal(scanId, obj.Metadata["scan-id"]);
        }

        var (sent, failed) = await DeliverAsync(processor);
        Assert.Equal(new WorkItem(scanId, WorkKind.Process), ItemOf(Assert.Single(sent)));
        Assert.Empty(failed);

        var done = await scans.GetAsync(scanId, Ct);
        Assert.Equal(ScanStatus.Done, done!.Status);
        Assert.True(done.Verdict!.IsCat);
        Assert.Equal(0.965, done.Verdict.Confidence, 6);
        Assert.Contains("\"Cat\"", done.Debug.DetectorRaw);
        Assert.Equal("done", Assert.Single(done.Debug.AttemptLog).Outcome);

        // Rekognition was asked about the S3 object, not sent the bytes.
        var detect = Assert.Single(_wireMock.LogEntries, e => e.RequestMessage!.Headers!.TryGetValue("X-Amz-Target", out var target) && target.Contains(RekognitionCatDetector.Target));
        Assert.Contains(queued.Image.StorageKey, detect.RequestMessage!.Body);

        // The verdict queued the signed callback as its own SQS message.
        (sent, failed) = await DeliverAsync(processor);
        Assert.Equal(new WorkItem(scanId, WorkKind.Callback, DeliveryAttempt: 1), ItemOf(Assert.Single(sent)));
        Assert.Empty(failed);
        using var body = CallbackBody();
        Assert.Equal("scan.completed", body.RootElement.GetProperty("type").GetString());
        Assert.Equal(scanId, body.RootElement.GetProperty("data").GetProperty("id").GetString());
        Assert.True(body.RootElement.GetProperty("data").GetProperty("verdict").GetProperty("isCat").GetBoolean());
        Assert.Equal("delivered", Assert.Single((await scans.GetAsync(scanId, Ct))!.Deliveries).Outcome);

        // The API reads the same DynamoDB record.
        Assert.Equal(ScanStatus.Done, (await webhookServices.GetRequiredService<IScanStore>().GetAsync(scanId, Ct))!.Status);
        Assert.Equal(QueueCounts.Empty, await SqsTestKit.CountsAsync(_sqs!, _options.QueueUrl));
    }

    [Fact]
    public async Task A_poison_message_ends_in_the_dead_letter_queue_with_the_scan_failed_and_the_client_told()
    {
        StubRekognition(500, """{"__type":"InternalServerError","Message":"boom"}""");
        var (webhooks, _) = await StartWebhooksAsync();
        var (processor, processorServices) = await StartProcessorAsync();
        var scans = processorServices.GetRequiredService<IScanStore>();

        var scanId = await SubmitAsync(webhooks, TestImages.Jpeg(320, 240));

        // MaxReceiveCount (2) receives: the first is retried, on the last the scan is failed and the record reported failed.
        string? messageId = null;
        for (var receive = 1; receive <= MaxReceiveCount; receive++)
        {
            var (sent, failed) = await DeliverAsync(processor);
            var message = Assert.Single(sent);
            Assert.Equal(new WorkItem(scanId, WorkKind.Process), ItemOf(message));
            messageId ??= message.MessageId;
            Assert.Equal(messageId, message.MessageId);
            Assert.Equal(new[] { messageId }, failed);
            Assert.Equal(receive < MaxReceiveCount ? ScanStatus.Queued : ScanStatus.Failed, (await scans.GetAsync(scanId, Ct))!.Status);
        }

        var scan = await scans.GetAsync(scanId, Ct);
        Assert.Equal("processing_failed", scan!.Error!.Code);
        Assert.Contains("InternalServerError", scan.Error.Message);
        Assert.Equal(MaxReceiveCount, scan.Attempts);
        Assert.Equal(new[] { (1, "retry"), (2, "failed") }, scan.Debug.AttemptLog.Select(a => (a.Attempt, a.Outcome)));
        Assert.All(scan.Debug.AttemptLog, a => Assert.Contains("InternalServerError", a.Error));

        // Failing the scan queued the client's callback, which carries the failed result.
        var (callbackSent, callbackFailed) = await DeliverAsync(processor);
        Assert.Equal(new WorkItem(scanId, WorkKind.Callback, DeliveryAttempt: 1), ItemOf(Assert.Single(callbackSent)));
        Assert.Empty(callbackFailed);
        using (var body = CallbackBody())
        {
            var data = body.RootElement.GetProperty("data");
            Assert.Equal(scanId, data.GetProperty("id").GetString());
            Assert.Equal("failed", data.GetProperty("status").GetString());
            Assert.Equal("processing_failed", data.GetProperty("error").GetProperty("code").GetString());
        }

        // Once visible again the message has used up its receives: SQS's redrive policy parks it, nothing is left to run.
        var dead = Assert.Single(await SqsTestKit.ReceiveAsync(_sqs!, _deadLetterQueueUrl, 1, TimeSpan.FromSeconds(10)));
        Assert.Equal(QueueCounts.Empty, await SqsTestKit.CountsAsync(_sqs!, _options.QueueUrl));
        Assert.Equal(messageId, dead.MessageId);
        Assert.Equal(new WorkItem(scanId, WorkKind.Process), ItemOf(dead));
    }

    [Fact]
    public async Task A_batch_with_one_bad_record_reports_exactly_that_record_in_batch_item_failures()
    {
        StubRekognition(200, """{"Labels":[{"Name":"Cat","Confidence":91.0,"Instances":[]}],"LabelModelVersion":"3.0"}""");
        var (webhooks, _) = await StartWebhooksAsync();
        var (processor, processorServices) = await StartProcessorAsync();
        var scans = processorServices.GetRequiredService<IScanStore>();
        var good = await SubmitAsync(webhooks, TestImages.Jpeg(320, 240));
        var bad = await SubmitAsync(webhooks, TestImages.Jpeg(300, 200));

        // The bad record's image vanished from S3: its scan cannot be processed (yet); the good one can.
        var badKey = (await scans.GetAsync(bad, Ct))!.Image!.StorageKey;
        using (var s3 = new AmazonS3Client(new AmazonS3Config { ForcePathStyle = true }))
        {
            await s3.DeleteObjectAsync(_options.BucketName, badKey, Ct);
        }

        var (sent, failed) = await DeliverAsync(processor, count: 2);

        var badMessage = Assert.Single(sent, m => ItemOf(m).ScanId == bad);
        Assert.Equal(new[] { badMessage.MessageId }, failed);
        Assert.Equal(ScanStatus.Done, (await scans.GetAsync(good, Ct))!.Status);
        var retrying = await scans.GetAsync(bad, Ct);
        Assert.Equal(ScanStatus.Queued, retrying!.Status);
        var attempt = Assert.Single(retrying.Debug.AttemptLog);
        Assert.Equal("retry", attempt.Outcome);
        Assert.Contains(badKey, attempt.Error);
    }
}
