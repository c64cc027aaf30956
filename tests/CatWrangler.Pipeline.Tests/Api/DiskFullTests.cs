using System.Net;
using System.Text.Json;
using CatWrangler.TestSupport;
using static CatWrangler.Pipeline.Tests.Api.ApiTestHost;

namespace CatWrangler.Pipeline.Tests.Api;

/// <summary>A data folder that runs out of space: 507 for uploads, 503 on /healthz, nothing lost, recovery without a restart.</summary>
public sealed class DiskFullTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Full_disk_answers_507_and_unhealthy_then_recovers_with_earlier_scans_intact()
    {
        var (disk, reason) = TinyFileSystem.TryMount(8 * 1024 * 1024);
        Assert.SkipWhen(disk is null, $"Disk-full test skipped: {reason}");
        using var mounted = disk!;
        await using var host = await StartAsync(new Dictionary<string, string?> { ["CatWrangler:MinFreeDiskBytes"] = "1048576" }, dataPath: mounted.Path);
        var before = TestImages.Jpeg(320, 200);
        using var first = await host.Http.SendAsync(Signed(HttpMethod.Post, "/v1/scans", Raw(before, "image/jpeg")), Ct);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        using (var healthy = await host.Http.GetAsync("/healthz", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        }

        mounted.Fill("filler");

        using var full = await host.Http.SendAsync(Signed(HttpMethod.Post, "/v1/scans", Raw(TestImages.Jpeg(640, 480), "image/jpeg")), Ct);
        await ScanApiTests.AssertProblemAsync(full, 507, "storage_full");
        using (var unhealthy = await host.Http.GetAsync("/healthz", Ct))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, unhealthy.StatusCode);
            using var problem = JsonDocument.Parse(await unhealthy.Content.ReadAsStringAsync(Ct));
            Assert.Equal("low_disk_space", problem.RootElement.GetProperty("code").GetString());
        }

        var stored = Assert.Single(host.Scans.Scans.Values);
        Assert.Equal(before, await host.Images.GetAsync(stored.Image!.StorageKey, Ct));

        File.Delete(Path.Combine(mounted.Path, "filler"));

        using (var recovered = await host.Http.GetAsync("/healthz", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
        }

        using var after = await host.Http.SendAsync(Signed(HttpMethod.Post, "/v1/scans", Raw(TestImages.Jpeg(640, 480), "image/jpeg")), Ct);
        Assert.Equal(HttpStatusCode.Accepted, after.StatusCode);
        Assert.Equal(2, host.Scans.Scans.Count);
    }
}
