using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SimpleSystemsManagement;
using Amazon.SQS;
using CatWrangler.Adapters.Aws;
using CatWrangler.Aws.Tests.Emulators;
using CatWrangler.Aws.Tests.Sqs;
using CatWrangler.Core.Detection;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;
using CatWrangler.Core.Security;
using CatWrangler.Hosting;
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
/// DynamoDB → SQS → processor host <c>POST /events</c> with the batch received from SQS → Rekognition detector (WireMock)
/// → verdict in DynamoDB → signed callback (WireMock).
/// </summary>
[Trait("Category", "Aws")]
public sealed class AwsPipelineTests(AwsEmulators emulators) : IAsyncLifetime
{
    private const string Client = "acme";
    private static readonly string Secret = StandardWebhooksSignature.NewSecret();
    private readonly WireMockServer _wireMock = Contracts.LoopbackWireMock.Start();
    private readonly List<WebApplication> _apps = [];
    private AwsOptions _options = new();
    private string _deadLetterQueueUrl = "";
    private AmazonSQSClient? _sqs;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var shared = await emulators.StartAsync();
        (var queue, _deadLetterQueueUrl) = await AwsEmulators.CreateQueuePairAsync("pipeline-" + Guid.NewGuid().ToString("N")[..10], maxReceiveCount: 2, visibilityTimeoutSeconds: 1);
        _options = shared with { QueueUrl = queue };
        _sqs = new AmazonSQSClient();
        _wireMock.Given(Request.Create().WithPath("/hook").UsingPost()).RespondWith(Response.Create().WithStatusCode(204));
        _wireMock
            .Given(Request.Create().UsingPost().WithHeader("X-Amz-Target", "AmazonSSM.GetParameter").WithBody(new WildcardMatcher($"*\"/catwrangler/CatWrangler/Clients/{Client}/Secrets/0\"*")))
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/x-amz-json-1.1")
                .WithBody(JsonSerializer.Serialize(new { Parameter = new { Name = "/catwrangler/CatWrangler/Clients/acme/Secrets/0", Type = "SecureString", Value = Secret, Version = 1 } })));
        _wireMock
            .Given(Request.Create().UsingPost().WithHeader("X-Amz-Target", "AmazonSSM.GetParameter"))
            .AtPriority(100)
            .RespondWith(Response.Create().WithStatusCode(400).WithHeader("Content-Type", "application/x-amz-json-1.1")
                .WithBody("""{"__type":"ParameterNotFound","message":"Parameter not found."}"""));
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
        ["CatWrangler:Aws:MaxReceiveCount"] = "2",
        ["CatWrangler:Detector:Kind"] = "rekognition",
        ["CatWrangler:Aws:Rekognition:Endpoint"] = _wireMock.Url + "/",
        ["CatWrangler:Aws:Rekognition:Region"] = "us-east-1",
        ["CatWrangler:Callbacks:AllowPrivateNetworks"] = "true",
    };

    private async Task<(Uri Address, IServiceProvider Services)> StartAsync(Action<WebApplicationBuilder> configure, Action<WebApplication> map)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(Settings());

        // No SSM emulator exists: the real SDK client talks to WireMock, which holds the client's secret as a SecureString.
        builder.Services.AddSingleton<IAmazonSimpleSystemsManagement>(new AmazonSimpleSystemsManagementClient(
            new BasicAWSCredentials("AKIDTEST", "secret"),
            new AmazonSimpleSystemsManagementConfig { ServiceURL = _wireMock.Url, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 }));
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

    private Task<(Uri Address, IServiceProvider Services)> StartProcessorAsync()
        => StartAsync(
            b =>
            {
                b.Services.AddSingleton(sp => new StandInProcessor(
                    sp.GetRequiredService<IScanStore>(), sp.GetRequiredService<IImageStore>(), sp.GetRequiredService<ICatDetector>(),
                    sp.GetRequiredService<ISecretStore>(), new HttpClient(), sp.GetRequiredService<AwsOptions>().MaxReceiveCount));
                b.Services.AddSingleton<WorkItemHandler>(sp => sp.GetRequiredService<StandInProcessor>().HandleAsync);
                b.Services.AddProcessor(b.Configuration);
            },
            app => app.MapProcessor());

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

    private async Task<IReadOnlyList<string>> DeliverAsync(Uri processor, int receiveCount)
    {
        var messages = await SqsTestKit.ReceiveAsync(_sqs!, _options.QueueUrl, 1, TimeSpan.FromSeconds(5));
        var message = Assert.Single(messages);
        using var http = new HttpClient { BaseAddress = processor };
        var batch = SqsTestKit.LambdaEvent(await SqsTestKit.QueueArnAsync(_sqs!, _options.QueueUrl), [(message, receiveCount)]);
        using var response = await http.PostAsync(SqsEventsEndpoint.Path, new StringContent(batch, System.Text.Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var failed = SqsTestKit.FailedIds(await response.Content.ReadAsStringAsync(Ct));
        if (failed.Count == 0)
        {
            // What Lambda's event source mapping does for records not reported as failed.
            await _sqs!.DeleteMessageAsync(_options.QueueUrl, message.ReceiptHandle, Ct);
        }

        return failed;
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

        Assert.Empty(await DeliverAsync(processor, receiveCount: 1));

        var done = await scans.GetAsync(scanId, Ct);
        Assert.Equal(ScanStatus.Done, done!.Status);
        Assert.True(done.Verdict!.IsCat);
        Assert.Equal(0.965, done.Verdict.Confidence, 6);
        Assert.Contains("\"Cat\"", done.Debug.DetectorRaw);

        // Rekognition was asked about the S3 object, not sent the bytes.
        var detect = Assert.Single(_wireMock.LogEntries, e => e.RequestMessage!.Headers!.TryGetValue("X-Amz-Target", out var target) && target.Contains(RekognitionCatDetector.Target));
        Assert.Contains(queued.Image.StorageKey, detect.RequestMessage!.Body);

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
        using var body = JsonDocument.Parse(callback.RequestMessage!.Body!);
        Assert.Equal("scan.completed", body.RootElement.GetProperty("type").GetString());
        Assert.Equal(scanId, body.RootElement.GetProperty("data").GetProperty("id").GetString());

        // The API reads the same DynamoDB record.
        Assert.Equal(ScanStatus.Done, (await webhookServices.GetRequiredService<IScanStore>().GetAsync(scanId, Ct))!.Status);
    }

    [Fact]
    public async Task A_scan_whose_processing_keeps_failing_ends_failed_with_its_message_in_the_dead_letter_queue()
    {
        StubRekognition(500, """{"__type":"InternalServerError","Message":"boom"}""");
        var (webhooks, _) = await StartWebhooksAsync();
        var (processor, processorServices) = await StartProcessorAsync();

        var scanId = await SubmitAsync(webhooks, TestImages.Jpeg(320, 240));
        for (var receive = 1; receive <= 2; receive++)
        {
            Assert.Single(await DeliverAsync(processor, receive));
        }

        Assert.Empty(await SqsTestKit.ReceiveAsync(_sqs!, _options.QueueUrl, 1, TimeSpan.FromSeconds(3)));
        var dead = Assert.Single(await SqsTestKit.ReceiveAsync(_sqs!, _deadLetterQueueUrl, 1, TimeSpan.FromSeconds(5)));
        Assert.Equal(scanId, SqsWorkMessage.TryParse(dead.Body)!.ScanId);

        var scan = await processorServices.GetRequiredService<IScanStore>().GetAsync(scanId, Ct);
        Assert.Equal(ScanStatus.Failed, scan!.Status);
        Assert.Contains("InternalServerError", scan.Error!.Message);
        Assert.DoesNotContain(_wireMock.LogEntries, e => e.RequestMessage!.Path == "/hook");
    }
}
