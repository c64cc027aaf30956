using CatWrangler.Core;
using CatWrangler.Core.Images;
using CatWrangler.Core.Pipeline;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;
using CatWrangler.TestSupport;

namespace CatWrangler.Pipeline.Tests.Api;

public sealed class ScanIntakeTests
{
    private readonly InMemoryScanStore _scans = new();
    private readonly InMemoryImageStore _images = new();
    private readonly InMemoryWorkQueue _queue = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ScanIntake Intake() => new(new ImageValidator(new ImageLimits()), _images, _scans, _queue, TimeProvider.System, new CatWranglerOptions());

    [Fact]
    public async Task A_claimed_key_whose_scan_was_never_written_is_finished_under_the_claimed_id()
    {
        // As after a crash between claiming the key and writing the scan.
        var submission = new ScanSubmission("acme", "msg_1", TestImages.Jpeg(), "image/jpeg", null, "r", false);
        var first = Assert.IsType<IntakeResult.Accepted>(await Intake().AcceptAsync(submission, Ct));
        _scans.Scans.Clear();
        _queue.Items.Clear();

        var retry = Assert.IsType<IntakeResult.Accepted>(await Intake().AcceptAsync(submission, Ct));

        Assert.Equal(first.Scan.Id, retry.Scan.Id);
        Assert.True(_scans.Scans.ContainsKey(first.Scan.Id));
        Assert.Equal(new WorkItem(first.Scan.Id, WorkKind.Process), Assert.Single(_queue.Items));
    }

    [Fact]
    public async Task A_retry_of_a_still_queued_scan_enqueues_it_again()
    {
        var submission = new ScanSubmission("acme", "msg_2", TestImages.Png(), null, null, null, false);
        var first = Assert.IsType<IntakeResult.Accepted>(await Intake().AcceptAsync(submission, Ct));

        var retry = Assert.IsType<IntakeResult.Accepted>(await Intake().AcceptAsync(submission, Ct));

        Assert.True(retry.Replayed);
        Assert.Equal(first.Scan.Id, retry.Scan.Id);
        Assert.Equal(2, _queue.Items.Count);
    }

    [Fact]
    public async Task Same_key_with_another_callback_url_is_a_conflict()
    {
        var image = TestImages.Jpeg();
        await Intake().AcceptAsync(new ScanSubmission("acme", "msg_3", image, "image/jpeg", "https://a.example.com/", null, false), Ct);

        var other = await Intake().AcceptAsync(new ScanSubmission("acme", "msg_3", image, "image/jpeg", "https://b.example.com/", null, false), Ct);

        Assert.IsType<IntakeResult.KeyConflict>(other);
        Assert.Single(_scans.Scans);
    }

    [Fact]
    public async Task Rejected_image_claims_no_key_and_stores_nothing()
    {
        var rejected = await Intake().AcceptAsync(new ScanSubmission("acme", "msg_4", TestImages.Gif(), "image/gif", null, null, false), Ct);

        Assert.Equal(ImageRejection.UnsupportedFormat, Assert.IsType<IntakeResult.Rejected>(rejected).Reason);
        var retry = await Intake().AcceptAsync(new ScanSubmission("acme", "msg_4", TestImages.Jpeg(), "image/jpeg", null, null, false), Ct);
        Assert.IsType<IntakeResult.Accepted>(retry);
        Assert.Single(_images.Images);
    }
}
