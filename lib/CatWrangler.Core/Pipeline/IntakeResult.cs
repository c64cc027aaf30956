using System.Security.Cryptography;
using System.Text;
using CatWrangler.Core.Images;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;

namespace CatWrangler.Core.Pipeline;

/// <summary>What the intake decided about a <see cref="ScanSubmission"/>.</summary>
public abstract record IntakeResult
{
    private IntakeResult() { }

    /// <summary>The scan exists and is (or was) queued. <see cref="Replayed"/> when the key was seen before with the same content.</summary>
    public sealed record Accepted(Scan Scan, bool Replayed) : IntakeResult;

    /// <summary>The image is unusable; nothing was stored.</summary>
    public sealed record Rejected(ImageRejection Reason, string Message) : IntakeResult;

    /// <summary>The idempotency key belongs to a different request.</summary>
    public sealed record KeyConflict(string ExistingScanId) : IntakeResult;
}
