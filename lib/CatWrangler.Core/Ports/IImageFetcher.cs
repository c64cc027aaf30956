using CatWrangler.Core.Scans;

namespace CatWrangler.Core.Ports;

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
