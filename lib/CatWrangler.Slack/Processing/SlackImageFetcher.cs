using CatWrangler.Slack.Api;
using CatWrangler.Core.Images;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;

namespace CatWrangler.Slack.Processing;

/// <summary>
/// Brings a Slack file's bytes for the processor: refuses by Slack's mimetype and size first (no download needed),
/// then asks <c>files.info</c> for the current download URL and downloads it with the bot token.
/// </summary>
public sealed class SlackImageFetcher(SlackWebApiClient slack, SlackFileDownloader downloader, ImageLimits limits) : IImageFetcher
{
    private static readonly string[] SupportedMimeTypes = ["image/jpeg", "image/png"];

    public bool CanFetch(Scan scan) => scan.Source is { Kind: ScanSourceKind.Slack, Slack: not null };

    public async Task<FetchedImage> FetchAsync(Scan scan, CancellationToken cancellationToken)
    {
        var origin = scan.Source.Slack ?? throw new InvalidOperationException($"Scan {scan.Id} did not come from Slack.");
        var name = origin.FileName ?? origin.FileId;
        CheckDeclared(name, origin.MimeType, origin.FileSize);

        SlackFile file;
        try
        {
            file = await slack.GetFileInfoAsync(origin.FileId, cancellationToken);
        }
        catch (SlackApiException e) when (e.Error is "file_not_found" or "file_deleted")
        {
            throw new ImageRejectedException(ImageRejection.Empty, $"{name} was deleted from Slack before I could look at it.");
        }

        CheckDeclared(name, file.Mimetype, file.Size);
        if (!Uri.TryCreate(file.UrlPrivateDownload, UriKind.Absolute, out var url))
        {
            throw new ImageRejectedException(ImageRejection.Empty, $"Slack gave no download link for {name}.");
        }

        return await downloader.DownloadAsync(url, name, cancellationToken);
    }

    /// <summary>Refuses what Slack already says is not a JPEG/PNG or is too large; the content is checked again after download.</summary>
    private void CheckDeclared(string name, string? mimeType, long? size)
    {
        if (mimeType is { Length: > 0 } && !SupportedMimeTypes.Contains(mimeType, StringComparer.OrdinalIgnoreCase))
        {
            throw new ImageRejectedException(
                ImageRejection.UnsupportedFormat,
                $"only JPEG and PNG images are supported, and {name} is {mimeType}.");
        }

        if (size > limits.MaxBytes)
        {
            throw new ImageRejectedException(
                ImageRejection.TooLarge,
                $"{name} has {size:N0} bytes; the limit is {limits.MaxBytes:N0} bytes.");
        }
    }
}
