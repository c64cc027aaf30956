using CatWrangler.Adapters.Local;
using CatWrangler.Core;
using CatWrangler.Core.Images;
using CatWrangler.Core.Pipeline;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;
using CatWrangler.TestSupport;

namespace CatWrangler.Pipeline.Tests.Api;

/// <summary>The accept path on the real local adapters (SQLite and files in a temp folder).</summary>
public sealed class ScanIntakeTests : IDisposable
{
    private readonly LocalPorts _ports = new("catwrangler-intake-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _ports.Dispose();

    private ScanIntake Intake() => new(new ImageValidator(new ImageLimits()), _ports.Images, _ports.Store, _ports.Queue, TimeProvider.System, new CatWranglerOptions(), new AcceptActivity(TimeProvider.System));

    /// <summary>As if the process died after claiming the key: the scan row and its job are gone, the claim stays.</summary>
    private void ForgetScansAndJobs() => _ports.StoredScans.Query("DELETE FROM scans; DELETE FROM jobs; SELECT 1", r => r.GetInt32(0));

    [Fact]
    public async Task A_claimed_key_whose_scan_was_never_written_is_finished_under_the_claimed_id()
    {
        // As after a crash between claiming the key and writing the scan.
        var submission = new ScanSubmission("acme", "msg_1", TestImages.Jpeg(), "image/jpeg", null, "r", false);
        var first = Assert.IsType<IntakeResult.Accepted>(await Intake().AcceptAsync(submission, Ct));
        ForgetScansAndJobs();

        var retry = Assert.IsType<IntakeResult.Accepted>(await Intake().AcceptAsync(submission, Ct));

        Assert.Equal(first.Scan.Id, retry.Scan.Id);
        Assert.True(_ports.StoredScans.Scans.ContainsKey(first.Scan.Id));
        Assert.Equal(new WorkItem(first.Scan.Id, WorkKind.Process), Assert.Single(_ports.StoredJobs.Items));
    }

    [Fact]
    public async Task A_retry_of_a_still_queued_scan_enqueues_it_again()
    {
        var submission = new ScanSubmission("acme", "msg_2", TestImages.Png(), null, null, null, false);
        var first = Assert.IsType<IntakeResult.Accepted>(await Intake().AcceptAsync(submission, Ct));

        var retry = Assert.IsType<IntakeResult.Accepted>(await Intake().AcceptAsync(submission, Ct));

        Assert.True(retry.Replayed);
        Assert.Equal(first.Scan.Id, retry.Scan.Id);
        Assert.Equal(2, _ports.StoredJobs.Items.Count);
    }

    [Fact]
    public async Task Same_key_with_another_callback_url_is_a_conflict()
    {
        var image = TestImages.Jpeg();
        await Intake().AcceptAsync(new ScanSubmission("acme", "msg_3", image, "image/jpeg", "https://a.example.com/", null, false), Ct);

        var other = await Intake().AcceptAsync(new ScanSubmission("acme", "msg_3", image, "image/jpeg", "https://b.example.com/", null, false), Ct);

        Assert.IsType<IntakeResult.KeyConflict>(other);
        Assert.Single(_ports.StoredScans.Scans);
    }

    [Fact]
    public async Task Rejected_image_claims_no_key_and_stores_nothing()
    {
        var rejected = await Intake().AcceptAsync(new ScanSubmission("acme", "msg_4", TestImages.Gif(), "image/gif", null, null, false), Ct);

        Assert.Equal(ImageRejection.UnsupportedFormat, Assert.IsType<IntakeResult.Rejected>(rejected).Reason);
        var retry = await Intake().AcceptAsync(new ScanSubmission("acme", "msg_4", TestImages.Jpeg(), "image/jpeg", null, null, false), Ct);
        Assert.IsType<IntakeResult.Accepted>(retry);
        Assert.Single(_ports.StoredImages.Images);
    }
}
