using CatWrangler.Core.Scans;

namespace CatWrangler.Aws.Tests.Adapters;

internal static class ScanFactory
{
    public static Scan Api(string clientId, DateTimeOffset receivedAt, ScanStatus status = ScanStatus.Queued) => new()
    {
        Id = Scan.NewId(),
        Status = status,
        Source = ScanSource.FromApi(new ApiOrigin(clientId, "https://example.test/hook", "ref-1")),
        Image = new ImageInfo(new string('a', 64), "image/jpeg", 1234, 640, 480, "aaaa/" + new string('a', 64)),
        ReceivedAt = receivedAt,
        ExpiresAt = receivedAt.AddDays(30),
    };

    public static Scan Slack(string channelId, DateTimeOffset receivedAt) => new()
    {
        Id = Scan.NewId(),
        Status = ScanStatus.Queued,
        Source = ScanSource.FromSlack(new SlackOrigin("T1", channelId, "U1", "F1", "1700000000.000100", null, "Ev1")),
        ReceivedAt = receivedAt,
        ExpiresAt = receivedAt.AddDays(30),
    };
}
