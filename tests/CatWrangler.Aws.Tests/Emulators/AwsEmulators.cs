using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.S3;
using Amazon.SQS;
using Amazon.SQS.Model;
using CatWrangler.Adapters.Aws;
using CatWrangler.TestSupport;

[assembly: AssemblyFixture(typeof(CatWrangler.Aws.Tests.Emulators.AwsEmulators))]

namespace CatWrangler.Aws.Tests.Emulators;

/// <summary>
/// Local stand-ins for S3 (s3rver), DynamoDB (dynalite) and SQS (local-aws-sqs behind a shim), installed from the pinned
/// lock file into <c>artifacts/aws-emulators</c> once and started on free 127.0.0.1 ports, Testcontainers-style.
/// The SDK finds them through <c>AWS_ENDPOINT_URL_*</c>; when those are already set, those endpoints are used instead.
/// Started on first use, so tests that need no emulator (signer, WireMock contracts) never pay for them.
/// </summary>
public sealed class AwsEmulators : IAsyncDisposable
{
    /// <summary>The only credentials s3rver accepts; dynalite and local-aws-sqs accept anything.</summary>
    public const string DummyKey = "S3RVER";

    private static readonly string[] EndpointVariables = ["AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL_SQS"];
    private readonly List<Process> _processes = [];
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _s3Directory;
    private AwsOptions? _options;

    /// <summary>Bucket, table and work queue (with its DLQ) created for this run.</summary>
    public AwsOptions Options => _options ?? throw new InvalidOperationException("Call StartAsync first.");

    public string DeadLetterQueueUrl { get; private set; } = "";

    /// <summary>The work queue's redrive maxReceiveCount.</summary>
    public const int MaxReceiveCount = 3;

    public async Task<AwsOptions> StartAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_options is not null)
            {
                return _options;
            }

            if (EndpointVariables.Any(v => string.IsNullOrEmpty(Environment.GetEnvironmentVariable(v))))
            {
                await StartLocalAsync();
            }

            SetDefault("AWS_ACCESS_KEY_ID", DummyKey);
            SetDefault("AWS_SECRET_ACCESS_KEY", DummyKey);
            SetDefault("AWS_REGION", "us-east-1");
            SetDefault("AWS_EC2_METADATA_DISABLED", "true");

            var run = Guid.NewGuid().ToString("N")[..12];
            var bucket = "catwrangler-test-" + run;
            using (var s3 = new AmazonS3Client(new AmazonS3Config { ForcePathStyle = true }))
            {
                await s3.PutBucketAsync(bucket);
            }

            var table = "catwrangler-test-" + run;
            using (var dynamo = new AmazonDynamoDBClient())
            {
                await CreateTableAsync(dynamo, table);
            }

            var (queue, dlq) = await CreateQueuePairAsync("work-" + run, MaxReceiveCount, visibilityTimeoutSeconds: 30);
            DeadLetterQueueUrl = dlq;
            _options = new AwsOptions { BucketName = bucket, TableName = table, QueueUrl = queue, ForcePathStyle = true };
            return _options;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A queue and its dead-letter queue with the given redrive <paramref name="maxReceiveCount"/>.</summary>
    public static async Task<(string QueueUrl, string DeadLetterQueueUrl)> CreateQueuePairAsync(string name, int maxReceiveCount, int visibilityTimeoutSeconds)
    {
        using var sqs = new AmazonSQSClient();
        var dlq = await sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = name + "-dlq" });
        var dlqArn = (await sqs.GetQueueAttributesAsync(dlq.QueueUrl, ["QueueArn"])).Attributes["QueueArn"];
        var queue = await sqs.CreateQueueAsync(new CreateQueueRequest
        {
            QueueName = name,
            Attributes = new Dictionary<string, string>
            {
                ["VisibilityTimeout"] = visibilityTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["RedrivePolicy"] = $$"""{"deadLetterTargetArn":"{{dlqArn}}","maxReceiveCount":"{{maxReceiveCount}}"}""",
            },
        });
        return (queue.QueueUrl, dlq.QueueUrl);
    }

    /// <summary>The table as Terraform declares it: pk/sk strings, GSI <c>gsi1</c> on gsi1pk/gsi1sk, on-demand.</summary>
    public static Task CreateTableAsync(IAmazonDynamoDB dynamo, string table)
        => dynamo.CreateTableAsync(new CreateTableRequest
        {
            TableName = table,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions =
            [
                new AttributeDefinition("pk", ScalarAttributeType.S),
                new AttributeDefinition("sk", ScalarAttributeType.S),
                new AttributeDefinition("gsi1pk", ScalarAttributeType.S),
                new AttributeDefinition("gsi1sk", ScalarAttributeType.S),
            ],
            KeySchema = [new KeySchemaElement("pk", KeyType.HASH), new KeySchemaElement("sk", KeyType.RANGE)],
            GlobalSecondaryIndexes =
            [
                new GlobalSecondaryIndex
                {
                    IndexName = DynamoScanStore.RecentIndexName,
                    KeySchema = [new KeySchemaElement("gsi1pk", KeyType.HASH), new KeySchemaElement("gsi1sk", KeyType.RANGE)],
                    Projection = new Projection { ProjectionType = ProjectionType.ALL },
                },
            ],
        });

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync();
                }
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            process.Dispose();
        }

        if (_s3Directory is not null && Directory.Exists(_s3Directory))
        {
            Directory.Delete(_s3Directory, recursive: true);
        }

        _gate.Dispose();
    }

    private async Task StartLocalAsync()
    {
        var home = await InstallAsync();
        _s3Directory = Path.Combine(Path.GetTempPath(), "catwrangler-s3rver-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_s3Directory);

        var s3Port = FreePort();
        var dynamoPort = FreePort();
        var sqsPort = FreePort();
        var starts = new[]
        {
            Start(home, "s3rver", s3Port, Path.Combine("node_modules", "s3rver", "bin", "s3rver.js"), "-d", _s3Directory, "-a", "127.0.0.1", "-p", Port(s3Port), "--silent"),
            Start(home, "dynalite", dynamoPort, Path.Combine("node_modules", "dynalite", "cli.js"), "--host", "127.0.0.1", "--port", Port(dynamoPort), "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0"),
            Start(home, "local-aws-sqs", sqsPort, "sqs-shim.js", Port(sqsPort)),
        };
        await Task.WhenAll(starts);

        Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_S3", $"http://127.0.0.1:{s3Port}");
        Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_DYNAMODB", $"http://127.0.0.1:{dynamoPort}");
        Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_SQS", $"http://127.0.0.1:{sqsPort}");

        // Our own emulators: never sign with a developer's real credentials.
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", DummyKey);
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", DummyKey);
        Environment.SetEnvironmentVariable("AWS_SESSION_TOKEN", null);
        Environment.SetEnvironmentVariable("AWS_PROFILE", null);
    }

    /// <summary><c>npm ci</c> into artifacts/aws-emulators unless the same lock file was installed there before.</summary>
    private static Task<string> InstallAsync()
        => NpmPackages.InstallAsync(Path.Combine(AppContext.BaseDirectory, "Emulators"), "aws-emulators", ["sqs-shim.js"]);

    private async Task Start(string home, string name, int port, params string[] args)
    {
        var info = new ProcessStartInfo("node") { WorkingDirectory = home, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start node for {name}.");
        lock (_processes)
        {
            _processes.Add(process);
        }

        var errors = new StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (errors) { errors.AppendLine(e.Data); } };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();

        await Eventually.TrueAsync(
            async () =>
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"{name} exited with {process.ExitCode}: {errors}");
                }

                try
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync(IPAddress.Loopback, port);
                    return true;
                }
                catch (SocketException)
                {
                    return false; // not listening yet
                }
            },
            TimeSpan.FromSeconds(30),
            $"{name} did not listen on 127.0.0.1:{port}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Port(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static void SetDefault(string name, string value)
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name)))
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}
