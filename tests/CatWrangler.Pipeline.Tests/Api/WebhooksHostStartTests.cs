using CatWrangler.TestSupport;
using CatWrangler.Webhooks;

namespace CatWrangler.Pipeline.Tests.Api;

/// <summary>A bad setting stops the webhooks host at start, with a message naming the key.</summary>
public sealed class WebhooksHostStartTests : IDisposable
{
    private readonly string dataPath = Directory.CreateTempSubdirectory("catwrangler-webhooks-start-").FullName;

    public void Dispose() => Directory.Delete(dataPath, recursive: true);

    [Theory]
    [InlineData("CatWrangler:Api:Burst", "-1")]
    [InlineData("CatWrangler:Api:RequestsPerSecond", "0")]
    [InlineData("CatWrangler:Api:InlineMaxBytes", "0")]
    [InlineData("CatWrangler:Platform", "azure")]
    [InlineData("CatWrangler:Uploads:UrlLifetime", "00:00:00")]
    [InlineData("CatWrangler:MinFreeDiskBytes", "-1")]
    public async Task The_webhooks_host_refuses_a_bad_setting_naming_its_key(string key, string value)
    {
        var error = await HostStart.FailureAsync<ScanApiOptions>(new Dictionary<string, string?> { ["CatWrangler:DataPath"] = dataPath, [key] = value });

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Platform_names_are_read_whatever_their_case()
    {
        // "LOCAL" is the local platform; a bad Burst then proves the host got as far as checking its settings.
        var error = await HostStart.FailureAsync<ScanApiOptions>(new Dictionary<string, string?>
        {
            ["CatWrangler:DataPath"] = dataPath,
            ["CatWrangler:Platform"] = "LOCAL",
            ["CatWrangler:Api:Burst"] = "0",
        });

        Assert.Contains("CatWrangler:Api:Burst", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("CatWrangler:Platform", error.Message, StringComparison.Ordinal);
    }
}
