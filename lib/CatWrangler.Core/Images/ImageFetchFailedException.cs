namespace CatWrangler.Core.Images;

/// <summary>
/// An image could not be fetched from where the scan says it is. <see cref="Category"/> says why in a fixed word
/// (<c>redirect_refused</c>, <c>address_refused</c>, <c>http_status</c>, <c>timeout</c>…, never exception text);
/// <see cref="Transient"/> failures are retried on the queue's backoff before the scan fails.
/// </summary>
public sealed class ImageFetchFailedException(string category, string message, bool transient) : Exception(message)
{
    /// <summary>The scan's <c>error.code</c> when fetching its image failed.</summary>
    public const string Code = "image_fetch_failed";

    public string Category { get; } = category;

    public bool Transient { get; } = transient;
}
