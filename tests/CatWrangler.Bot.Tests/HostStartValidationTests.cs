using CatWrangler.Bot.Security;
using CatWrangler.Processor;
using CatWrangler.TestSupport;

namespace CatWrangler.Bot.Tests;

/// <summary>A bad setting stops the bot and processor hosts at start, with a message naming the key.</summary>
public sealed class HostStartValidationTests : IDisposable
{
    private readonly string dataPath = Directory.CreateTempSubdirectory("catwrangler-host-start-").FullName;

    public void Dispose() => Directory.Delete(dataPath, recursive: true);

    [Theory]
    [InlineData("CatWrangler:Platform", "azure")]
    [InlineData("CatWrangler:Platform", "7")]
    [InlineData("CatWrangler:Limits:MaxBytes", "0")]
    [InlineData("CatWrangler:Slack:SignatureTolerance", "-00:01:00")]
    [InlineData("CatWrangler:Slack:CommandInlineBudget", "00:00:10")]
    public async Task The_bot_host_refuses_a_bad_setting_naming_its_key(string key, string value)
    {
        var error = await HostStart.FailureAsync<SlackRequestVerifier>(Settings(key, value));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CatWrangler:Platform", "azure")]
    [InlineData("CatWrangler:Detector:Kind", "yolo")]
    [InlineData("CatWrangler:Detector:Threshold", "1.5")]
    [InlineData("CatWrangler:Detector:InferenceThreads", "0")]
    [InlineData("CatWrangler:Detector:Tta", "9")]
    [InlineData("CatWrangler:Processor:Concurrency", "0")]
    [InlineData("CatWrangler:Callbacks:MaxConcurrentDeliveries", "-1")]
    [InlineData("CatWrangler:RetentionSweep:BatchSize", "0")]
    public async Task The_processor_host_refuses_a_bad_setting_naming_its_key(string key, string value)
    {
        // No model in the model directory: a host that got past its settings would fail naming ModelDirectory instead.
        var settings = Settings(key, value);
        settings["CatWrangler:Detector:ModelDirectory"] = Path.Combine(dataPath, "no-models");

        var error = await HostStart.FailureAsync<CallbackDispatcher>(settings);

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    private Dictionary<string, string?> Settings(string key, string value)
        => new() { ["CatWrangler:DataPath"] = dataPath, [key] = value };
}
