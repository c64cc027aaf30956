using System.Net;

namespace CatWrangler.Adapters.Aws;

/// <summary>A Rekognition error response, classified by <see cref="RekognitionErrors"/>.</summary>
public sealed class RekognitionException(HttpStatusCode status, string errorType, string message, RekognitionErrorKind kind)
    : Exception($"Rekognition {errorType} ({(int)status}): {message}")
{
    public HttpStatusCode StatusCode { get; } = status;

    /// <summary>The error name as the AWS SDKs name it (<c>ThrottlingException</c>), or <c>Unknown</c>.</summary>
    public string ErrorType { get; } = errorType;

    /// <summary>The service's own message.</summary>
    public string ServiceMessage { get; } = message;

    public RekognitionErrorKind Kind { get; } = kind;
}
