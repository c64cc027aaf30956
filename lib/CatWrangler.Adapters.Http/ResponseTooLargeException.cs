namespace CatWrangler.Adapters.Http;

/// <summary>A response body was larger than the caller's cap; reading stopped at the cap.</summary>
public sealed class ResponseTooLargeException(long maxBytes)
    : Exception($"The response body is larger than {maxBytes} bytes.")
{
    public long MaxBytes { get; } = maxBytes;
}
