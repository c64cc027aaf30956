using Amazon.SQS;
using CatWrangler.Adapters.Aws;
using CatWrangler.Aws.Tests.Emulators;

namespace CatWrangler.Aws.Tests.Sqs;

/// <summary>The emulators started once per test class, and an SQS client on them (the SDK finds them by endpoint variables).</summary>
public abstract class SqsEmulatorTest(AwsEmulators emulators) : IAsyncLifetime
{
    private AmazonSQSClient? _sqs;

    protected AwsOptions Emulated { get; private set; } = new();

    protected AmazonSQSClient Sqs => _sqs ?? throw new InvalidOperationException("The emulators are not started yet.");

    public async ValueTask InitializeAsync()
    {
        Emulated = await emulators.StartAsync();
        _sqs = new AmazonSQSClient();
    }

    public ValueTask DisposeAsync()
    {
        _sqs?.Dispose();
        return ValueTask.CompletedTask;
    }
}
