using System.Net;
using System.Net.Http.Headers;
using CatWrangler.Core.Buffers;
using CatWrangler.Core.Images;
using CatWrangler.Core.Ports;

namespace CatWrangler.Slack.Api;

/// <summary>
/// Downloads <c>url_private_download</c> with the bot token. Only configured Slack file hosts get the token; redirects are
/// followed by hand so the token never travels to another host. Permanent problems become <see cref="ImageRejectedException"/>.
/// </summary>
/// <param name="http">A client whose handler does not follow redirects itself.</param>
public sealed class SlackFileDownloader(HttpClient http, ISecretStore secrets, SlackOptions options, ImageLimits limits)
{
    private const int MaxRedirects = 3;

    public async Task<FetchedImage> DownloadAsync(Uri url, string fileName, CancellationToken cancellationToken)
    {
        if (!IsAllowedFileHost(url))
        {
            throw new ImageRejectedException(
                ImageRejection.UnsupportedFormat,
                $"I only download files from Slack's file servers, and {fileName} is hosted at {url.Host}.");
        }

        var token = await secrets.GetAsync(SlackOptions.BotTokenKey, cancellationToken)
            ?? throw new InvalidOperationException($"No bot token: set {SlackOptions.BotTokenKey}.");

        var current = url;
        for (var hop = 0; ; hop++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, current);
            if (IsAllowedFileHost(current))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (IsRedirect(response.StatusCode) && response.Headers.Location is { } location)
            {
                if (hop == MaxRedirects)
                {
                    throw new ImageRejectedException(ImageRejection.UnsupportedFormat, $"Slack redirected the download of {fileName} too many times.");
                }

                current = location.IsAbsoluteUri ? location : new Uri(current, location);
                continue;
            }

            if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized or HttpStatusCode.Gone)
            {
                throw new ImageRejectedException(
                    ImageRejection.Empty,
                    $"Slack would not let me download {fileName} (HTTP {(int)response.StatusCode}); it may have been deleted, or I lack access to it.");
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"Downloading {fileName} answered HTTP {(int)response.StatusCode}.", null, response.StatusCode);
            }

            var bytes = await ReadLimitedAsync(response.Content, fileName, cancellationToken);
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            if (mediaType is "text/html" || ImageSniffer.IsHtml(bytes))
            {
                // Slack answers an unauthorised download with its sign-in page and a 200.
                throw new ImageRejectedException(
                    ImageRejection.UnsupportedFormat,
                    $"Slack sent a sign-in web page instead of {fileName}, so the bot's token could not read the file (is the bot missing the files:read scope or the channel?).");
            }

            if (ImageSniffer.Detect(bytes) is null)
            {
                throw new ImageRejectedException(
                    ImageRejection.UnsupportedFormat,
                    $"{fileName} is not a JPEG or PNG image by its content. Only JPEG and PNG images are supported.");
            }

            return new FetchedImage(bytes, mediaType);
        }
    }

    /// <summary>https to a configured host (or host:port); plain http only to loopback, for local fakes.</summary>
    public bool IsAllowedFileHost(Uri url)
    {
        var hostAllowed = options.FileHosts.Any(h =>
            string.Equals(h, url.Host, StringComparison.OrdinalIgnoreCase) ||
            string.Equals(h, url.Authority, StringComparison.OrdinalIgnoreCase));
        var schemeAllowed = url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback);
        return hostAllowed && schemeAllowed;
    }

    private async Task<byte[]> ReadLimitedAsync(HttpContent content, string fileName, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > limits.MaxBytes)
        {
            throw TooLarge(fileName);
        }

        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        if (await BoundedBodyReader.ReadAsync(stream, limits.MaxBytes, cancellationToken) is not BoundedRead.Complete complete)
        {
            throw TooLarge(fileName);
        }

        using var body = complete.Body;
        return body.Memory.ToArray();
    }

    private ImageRejectedException TooLarge(string fileName)
        => new(ImageRejection.TooLarge, $"{fileName} is larger than the {limits.MaxBytes / (1024 * 1024)} MB limit.");

    private static bool IsRedirect(HttpStatusCode status) => (int)status is >= 300 and < 400;
}
