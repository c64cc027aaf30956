using CatWrangler.Core.Scans;

namespace CatWrangler.Core.Ports;

/// <summary>
/// Port: side effects when a scan is accepted or reaches a terminal status (Slack thread reply, callback job).
/// Each notifier decides whether a scan is its concern (by <see cref="Scan.Source"/>) and must be idempotent.
/// </summary>
public interface IScanNotifier
{
    Task OnAcceptedAsync(Scan scan, CancellationToken cancellationToken) => Task.CompletedTask;

    Task OnCompletedAsync(Scan scan, CancellationToken cancellationToken);
}

/// <summary>Port: brings the bytes of a scan whose image is not stored yet (e.g. a Slack file).</summary>
public interface IImageFetcher
{
    bool CanFetch(Scan scan);

    /// <summary>
    /// Downloads the bytes. Throws <see cref="Images.ImageRejectedException"/> for permanent problems
    /// (an HTML login page, wrong magic bytes) and other exceptions for transient ones.
    /// </summary>
    Task<FetchedImage> FetchAsync(Scan scan, CancellationToken cancellationToken);
}

public sealed record FetchedImage(byte[] Bytes, string? DeclaredContentType);
