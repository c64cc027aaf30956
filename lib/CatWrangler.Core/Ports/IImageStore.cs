namespace CatWrangler.Core.Ports;

/// <summary>Port: durable, content-addressed image bytes.</summary>
public interface IImageStore
{
    /// <summary>
    /// Stores the bytes under a key derived from <paramref name="sha256"/> (lower-case hex) and returns the key.
    /// Durable when the task completes (fsync'd / acknowledged by the service). Idempotent for equal content.
    /// </summary>
    Task<string> PutAsync(string sha256, string contentType, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken);

    /// <summary>
    /// As <see cref="PutAsync(string, string, ReadOnlyMemory{byte}, CancellationToken)"/>, naming the scan that stores the
    /// bytes so stores that keep object metadata (S3) can link the object back to it.
    /// </summary>
    Task<string> PutAsync(string sha256, string contentType, ReadOnlyMemory<byte> bytes, string? scanId, CancellationToken cancellationToken)
        => PutAsync(sha256, contentType, bytes, cancellationToken);

    /// <summary>The stored bytes, or null when the key is unknown.</summary>
    Task<byte[]?> GetAsync(string storageKey, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a scan's annotated picture (PNG) under <see cref="Annotation.AnnotatedImageKey.For"/>, replacing an earlier
    /// one. Durable when the task completes. It expires with the scan.
    /// </summary>
    Task PutAnnotatedAsync(string scanId, ReadOnlyMemory<byte> png, CancellationToken cancellationToken);

    /// <summary>A scan's annotated picture, or null when none was rendered (no cat, or rendering failed) or it expired.</summary>
    Task<byte[]?> GetAnnotatedAsync(string scanId, CancellationToken cancellationToken);
}
