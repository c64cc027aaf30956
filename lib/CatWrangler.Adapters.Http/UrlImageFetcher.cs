using System.Net.Http.Headers;
using CatWrangler.Core.Images;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;

namespace CatWrangler.Adapters.Http;

/// <summary>
/// Fetches the image of a scan submitted by URL, on the guarded client (<see cref="ClientName"/>): no redirects, every
/// resolved address checked, one deadline for headers and body, the body capped at <see cref="ImageLimits.MaxBytes"/>
/// while it streams. The bytes are judged by content alone (the server's Content-Type is not trusted); the processor
/// runs them through the one image validator.
/// </summary>
public sealed class UrlImageFetcher(IHttpClientFactory clients, ImageLimits limits) : IImageFetcher
{
    public const string ClientName = "image-urls";

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public bool CanFetch(Scan scan) => scan.Source.Api?.ImageUrl is not null;

    public async Task<FetchedImage> FetchAsync(Scan scan, CancellationToken cancellationToken)
    {
        var url = scan.Source.Api?.ImageUrl ?? throw new InvalidOperationException($"Scan {scan.Id} has no image URL.");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("image/jpeg"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("image/png"));
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            ThrowUnlessOk((int)response.StatusCode);
            return new FetchedImage(await response.Content.ReadAsBytesCappedAsync(limits.MaxBytes, deadline.Token), DeclaredContentType: null);
        }
        catch (ResponseTooLargeException)
        {
            throw new ImageRejectedException(ImageRejection.TooLarge, $"The image at the URL is larger than the limit of {limits.MaxBytes:N0} bytes.");
        }
        catch (Exception e) when (e is not ImageFetchFailedException && OutboundFailure.Categorize(e, cancellationToken) is { } category)
        {
            // Address refusals and TLS failures will not change by retrying; a timeout or a dropped connection may.
            var transient = category is OutboundFailure.Timeout or OutboundFailure.ConnectionFailed;
            throw new ImageFetchFailedException(category, $"Fetching the image URL failed ({category}).", transient);
        }
    }

    /// <summary>Server trouble (5xx, 408, 429) is worth another attempt; a redirect or another client error is not.</summary>
    private static void ThrowUnlessOk(int status)
    {
        if (status is >= 200 and < 300)
        {
            return;
        }

        if (status is >= 300 and < 400)
        {
            throw new ImageFetchFailedException(
                "redirect_refused", $"Fetching the image URL failed (redirect_refused): it answered {status}; redirects are not followed, send the final URL.", transient: false);
        }

        var transient = status is >= 500 or 408 or 429;
        throw new ImageFetchFailedException("http_status", $"Fetching the image URL failed (http_status): it answered {status}.", transient);
    }
}
