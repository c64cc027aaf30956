using System.Security.Cryptography;
using System.Text;
using CatWrangler.Core.Images;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;

namespace CatWrangler.Core.Pipeline;

/// <summary>
/// The API accept path shared by every host: validate, claim the idempotency key, store the bytes durably,
/// create the scan and enqueue its processing. Nothing is written for a rejected image.
/// </summary>
public sealed class ScanIntake(
    ImageValidator validator,
    IImageStore images,
    IScanStore scans,
    IWorkQueue queue,
    TimeProvider time,
    CatWranglerOptions options,
    AcceptActivity activity)
{
    public static string IdempotencyScope(string clientId) => "api:" + clientId;

    public async Task<IntakeResult> AcceptAsync(ScanSubmission submission, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(submission.ClientId);
        ArgumentException.ThrowIfNullOrEmpty(submission.IdempotencyKey);
        activity.Accepting();

        // An image by URL is fetched, checked and stored by the processor; only bytes in hand are checked here.
        ImageCheck.Accepted? accepted = null;
        if (submission.ImageUrl is null)
        {
            var check = validator.Check(submission.Bytes.Span, submission.DeclaredContentType);
            if (check is ImageCheck.Rejected rejected)
            {
                return new IntakeResult.Rejected(rejected.Reason, rejected.Message);
            }

            accepted = (ImageCheck.Accepted)check;
        }

        var sha256 = Convert.ToHexStringLower(SHA256.HashData(submission.Bytes.Span));
        var now = time.GetUtcNow();
        var expiresAt = now + options.Retention;

        var scanId = Scan.NewId();
        var claim = await scans.ClaimAsync(
            IdempotencyScope(submission.ClientId), submission.IdempotencyKey, Fingerprint(submission, sha256), scanId, expiresAt, cancellationToken);

        var replayed = false;
        switch (claim)
        {
            case IdempotencyClaim.AlreadyClaimed { SameFingerprint: false } other:
                return new IntakeResult.KeyConflict(other.ScanId);
            case IdempotencyClaim.AlreadyClaimed same:
                var existing = await scans.GetAsync(same.ScanId, cancellationToken);
                if (existing is not null)
                {
                    // A retry of an earlier request. Re-enqueue a still-queued scan: the first attempt may have died between
                    // writing the row and enqueueing; processing is idempotent, so a duplicate job costs only time.
                    if (existing.Status == ScanStatus.Queued)
                    {
                        await queue.EnqueueAsync(new WorkItem(existing.Id, WorkKind.Process), TimeSpan.Zero, cancellationToken);
                    }

                    return new IntakeResult.Accepted(existing, Replayed: true);
                }

                // The key was claimed but the scan never written (crash or a concurrent twin): finish under the claimed id.
                scanId = same.ScanId;
                replayed = true;
                break;
        }

        ImageInfo? image = null;
        if (accepted is not null)
        {
            var contentType = accepted.Format.ContentType();
            var storageKey = await images.PutAsync(sha256, contentType, submission.Bytes, scanId, cancellationToken);
            image = new ImageInfo(sha256, contentType, submission.Bytes.Length, accepted.Width, accepted.Height, storageKey);
        }

        var scan = new Scan
        {
            Id = scanId,
            Status = ScanStatus.Queued,
            Source = ScanSource.FromApi(new ApiOrigin(
                submission.ClientId, submission.CallbackUrl, submission.Reference, submission.DebugRequested, submission.ImageUrl)),
            Image = image,
            ReceivedAt = now,
            ExpiresAt = expiresAt,
        };

        if (!await scans.TryCreateAsync(scan, cancellationToken))
        {
            // A concurrent twin of this request created it first; answer with what it wrote.
            var twin = await scans.GetAsync(scanId, cancellationToken) ?? scan;
            return new IntakeResult.Accepted(twin, Replayed: true);
        }

        await queue.EnqueueAsync(new WorkItem(scan.Id, WorkKind.Process), TimeSpan.Zero, cancellationToken);
        return new IntakeResult.Accepted(scan, replayed);
    }

    /// <summary>What makes two requests "the same": image bytes (or URL), declared type and every option that changes the scan.</summary>
    private static string Fingerprint(ScanSubmission submission, string sha256)
    {
        var image = submission.ImageUrl is { } url ? "url:" + url : sha256;
        var text = string.Join('\n', image, submission.DeclaredContentType ?? "", submission.CallbackUrl ?? "", submission.Reference ?? "", submission.DebugRequested ? "debug" : "");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
