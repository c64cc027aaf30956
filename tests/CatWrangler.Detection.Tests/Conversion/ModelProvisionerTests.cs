using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using CatWrangler.Detection.Onnx.Model;
using CatWrangler.ModelSupply;
using Microsoft.ML.OnnxRuntime;

namespace CatWrangler.Detection.Tests.Conversion;

/// <summary>The provisioner with a fake npm that serves a tiny TFJS model: checksums, cache reuse, rebuilds, concurrency, npm errors.</summary>
public sealed class ModelProvisionerTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("catwrangler-provisioner-test-").FullName;
    private readonly byte[] graph;
    private readonly byte[] weights;
    private readonly ModelSource source;

    public ModelProvisionerTests()
    {
        var g = new TinyGraph();
        g.Input("in", 1, 4, 4, 3);
        g.Node("Sigmoid", "out", ["in"]);
        (graph, weights) = g.Build();
        source = ModelSource.CenterNet with
        {
            Version = "tiny-test-1",
            GraphSha256 = Sha(graph),
            WeightsSha256 = Sha(weights),
            Inputs = new Dictionary<string, string> { ["in"] = "images" },
            Outputs = new Dictionary<string, string> { ["out"] = "heatmap" },
        };
    }

    [Fact]
    public async Task First_call_fetches_verifies_converts_and_reports_progress()
    {
        var npm = new FakeNpm(source, graph, weights);
        var progress = new List<string>();

        var model = await new ModelProvisioner(directory, source, npm).EnsureAsync(new Collect(progress), TestContext.Current.CancellationToken);

        Assert.Equal(1, npm.Calls);
        Assert.Equal("tiny-test-1", model.Version);
        Assert.Equal(Path.Combine(directory, "tiny-test-1.onnx"), model.Path);
        Assert.Equal(["fetching model weights (npm pack @vladmandic/human@3.3.6)…", "converting to ONNX…"], progress.Take(2));
        using var session = new InferenceSession(model.Path);
        Assert.Equal("images", Assert.Single(session.InputMetadata).Key);
        Assert.True(File.Exists(Path.Combine(directory, "tiny-test-1.manifest.json")));
        Assert.Empty(Directory.EnumerateFiles(directory, "*.tmp"));
    }

    [Fact]
    public async Task A_cached_model_is_reused_without_running_npm()
    {
        var npm = new FakeNpm(source, graph, weights);
        var first = await new ModelProvisioner(directory, source, npm).EnsureAsync(null, TestContext.Current.CancellationToken);
        var written = File.GetLastWriteTimeUtc(first.Path);

        var second = await new ModelProvisioner(directory, source, npm).EnsureAsync(null, TestContext.Current.CancellationToken);

        Assert.Equal(1, npm.Calls);
        Assert.Equal(first, second);
        Assert.Equal(written, File.GetLastWriteTimeUtc(second.Path));
    }

    [Fact]
    public async Task A_damaged_cached_model_is_rebuilt()
    {
        var npm = new FakeNpm(source, graph, weights);
        var model = await new ModelProvisioner(directory, source, npm).EnsureAsync(null, TestContext.Current.CancellationToken);
        var good = await File.ReadAllBytesAsync(model.Path, TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(model.Path, good[..(good.Length / 2)], TestContext.Current.CancellationToken);

        await new ModelProvisioner(directory, source, npm).EnsureAsync(null, TestContext.Current.CancellationToken);

        Assert.Equal(2, npm.Calls);
        Assert.Equal(good, await File.ReadAllBytesAsync(model.Path, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Weights_with_the_wrong_checksum_are_refused_with_a_clear_message()
    {
        var tampered = (byte[])weights.Clone();
        var npm = new FakeNpm(source, graph, [.. tampered, 0]);

        var error = await Assert.ThrowsAsync<ModelProvisioningException>(
            () => new ModelProvisioner(directory, source, npm).EnsureAsync(null, TestContext.Current.CancellationToken));

        Assert.Contains("SHA-256 mismatch for package/models/centernet.bin in @vladmandic/human@3.3.6", error.Message);
        Assert.Contains(source.WeightsSha256, error.Message);
        Assert.False(File.Exists(Path.Combine(directory, "tiny-test-1.onnx")));
    }

    [Fact]
    public async Task Concurrent_callers_build_the_model_once()
    {
        // The one builder's npm finishes only once the three other callers are waiting for its lock.
        var othersWaiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var npm = new FakeNpm(source, graph, weights, othersWaiting.Task);
        var progress = new List<string>();
        var collect = new Collect(progress, onWaiting: count =>
        {
            if (count == 3)
            {
                othersWaiting.TrySetResult();
            }
        });

        var models = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            Task.Run(() => new ModelProvisioner(directory, source, npm).EnsureAsync(collect, TestContext.Current.CancellationToken))));

        Assert.Equal(1, npm.Calls);
        Assert.Single(models.Distinct());
        Assert.Contains("waiting for another process that is preparing the model…", progress);
    }

    [Fact]
    public async Task A_missing_npm_gives_an_actionable_message()
    {
        var npm = new NpmPackRunner("npm-that-does-not-exist-catwrangler");

        var error = await Assert.ThrowsAsync<ModelProvisioningException>(
            () => new ModelProvisioner(directory, source, npm).EnsureAsync(null, TestContext.Current.CancellationToken));

        Assert.Contains("npm was not found", error.Message);
        Assert.Contains("npm pack @vladmandic/human@3.3.6", error.Message);
    }

    [Fact]
    public async Task A_failing_npm_reports_its_exit_code()
    {
        // `false` ignores its arguments and exits with 1, like npm does for an unknown package
        var npm = new NpmPackRunner("false");

        var error = await Assert.ThrowsAsync<ModelProvisioningException>(
            () => new ModelProvisioner(directory, source, npm).EnsureAsync(null, TestContext.Current.CancellationToken));

        Assert.Contains("`npm pack @vladmandic/human@3.3.6` failed with exit code 1", error.Message);
    }

    [Theory]
    [InlineData("/tmp/xdg", "/home/u", "/tmp/xdg/catwrangler/models")]
    [InlineData(null, "/home/u", "/home/u/.cache/catwrangler/models")]
    [InlineData("", "/home/u", "/home/u/.cache/catwrangler/models")]
    public void The_default_cache_follows_XDG_CACHE_HOME(string? xdgCacheHome, string home, string expected)
        => Assert.Equal(expected, ModelFile.DefaultDirectory(xdgCacheHome, home));

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static string Sha(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    /// <summary>Writes a package tarball the way npm pack names and lays it out.</summary>
    private sealed class FakeNpm(ModelSource source, byte[] graph, byte[] weights, Task? release = null) : INpmPackRunner
    {
        private int calls;

        public int Calls => calls;

        public async Task<string> PackAsync(string packageSpec, string destination, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref calls);
            Assert.Equal(source.PackageSpec, packageSpec);
            await (release ?? Task.CompletedTask).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            var path = Path.Combine(destination, "vladmandic-human-3.3.6.tgz");
            await using var file = File.Create(path);
            await using var gzip = new GZipStream(file, CompressionLevel.Fastest);
            await using var tar = new TarWriter(gzip);
            foreach (var (name, data) in new[] { ("package/package.json", "{}"u8.ToArray()), (source.GraphEntry, graph), (source.WeightsEntry, weights) })
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data) };
                await tar.WriteEntryAsync(entry, cancellationToken);
            }

            return path;
        }
    }

    /// <summary>Collects progress; <paramref name="onWaiting"/> hears how many callers have said they wait for the lock.</summary>
    private sealed class Collect(List<string> messages, Action<int>? onWaiting = null) : IProgress<string>
    {
        private const string Waiting = "waiting for another process that is preparing the model…";

        public void Report(string value)
        {
            int waiting;
            lock (messages)
            {
                messages.Add(value);
                waiting = messages.Count(m => m == Waiting);
            }

            if (value == Waiting)
            {
                onWaiting?.Invoke(waiting);
            }
        }
    }
}
