using CatWrangler.Core.Images;
using CatWrangler.Core.Scans;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CatWrangler.Webhooks;

/// <summary>RFC 9457 problem bodies of the scan API. Each carries a stable machine-readable <c>code</c> extension.</summary>
public static class ApiProblems
{
    public static ProblemHttpResult Create(int status, string code, string title, string detail)
        => TypedResults.Problem(detail: detail, statusCode: status, title: title, type: TypeOf(status), extensions: new Dictionary<string, object?> { ["code"] = code });

    /// <summary>The defining section for statuses ASP.NET Core has no default <c>type</c> for (the others get theirs from the framework).</summary>
    private static string? TypeOf(int status) => status switch
    {
        StatusCodes.Status413PayloadTooLarge => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.14",
        StatusCodes.Status429TooManyRequests => "https://www.rfc-editor.org/rfc/rfc6585#section-4",
        StatusCodes.Status507InsufficientStorage => "https://www.rfc-editor.org/rfc/rfc4918#section-11.5",
        _ => null,
    };

    public static ProblemHttpResult Busy(TimeSpan retryAfter)
        => Create(StatusCodes.Status503ServiceUnavailable, "busy", "Server busy",
            $"Too many unauthenticated uploads are in flight; retry after {Math.Ceiling(retryAfter.TotalSeconds):0} s.");

    public static ProblemHttpResult InsufficientStorage()
        => Create(StatusCodes.Status507InsufficientStorage, "storage_full", "Storage full",
            "The image could not be stored because the server is out of disk space; nothing was kept. Retry later.");

    public static ProblemHttpResult Unauthorized(AuthFailure failure)
        => Create(StatusCodes.Status401Unauthorized, failure.Code, "Signature rejected", failure.Detail);

    public static ProblemHttpResult DebugScopeRequired()
        => Create(StatusCodes.Status403Forbidden, "debug_scope_required", "Scope missing", "Debug data needs the 'debug' scope for this client.");

    public static ProblemHttpResult NotFound(string id)
        => Create(StatusCodes.Status404NotFound, "scan_not_found", "Scan not found", $"No scan '{id}' for this client.");

    public static ProblemHttpResult NoAnnotatedImage(string id, ScanStatus status)
        => Create(StatusCodes.Status404NotFound, "annotated_image_not_found", "No annotated picture",
            status is ScanStatus.Done
                ? $"Scan '{id}' has no annotated picture: it is drawn only when a cat was found, and kept as long as the scan."
                : $"Scan '{id}' is not done yet; the annotated picture (when a cat is found) follows the verdict.");

    public static ProblemHttpResult Conflict(string webhookId)
        => Create(StatusCodes.Status409Conflict, "webhook_id_reused",
            "webhook-id reused", $"webhook-id '{webhookId}' was already used for a different request; use a new id for new content.");

    /// <summary>An inline body over the limit; names the two-step upload route that takes larger images.</summary>
    public static ProblemHttpResult TooLarge(long maxBytes)
        => TypedResults.Problem(
            detail: $"The request body exceeds the inline limit of {maxBytes} bytes; send larger images with POST {UploadEndpoints.Route} and then {{\"image\":{{\"uploadId\":…}}}}.",
            statusCode: StatusCodes.Status413PayloadTooLarge,
            title: "Image too large",
            extensions: new Dictionary<string, object?> { ["code"] = "too_large", ["uploadRoute"] = UploadEndpoints.Route });

    public static ProblemHttpResult BadRequest(string code, string detail)
        => Create(StatusCodes.Status400BadRequest, code, "Bad request", detail);

    public static ProblemHttpResult RateLimited(TimeSpan? retryAfter)
        => Create(StatusCodes.Status429TooManyRequests, "rate_limited", "Too many requests",
            retryAfter is { } after ? $"Slow down; retry after {Math.Ceiling(after.TotalSeconds):0} s." : "Slow down and retry later.");

    /// <summary>The one mapping from an image rejection to an HTTP status; the code is the rejection's own (<see cref="ImageFormats.Code"/>).</summary>
    public static ProblemHttpResult ImageRejected(ImageRejection reason, string message)
    {
        var (status, title) = reason switch
        {
            ImageRejection.Empty => (StatusCodes.Status400BadRequest, "No image"),
            ImageRejection.UnsupportedFormat => (StatusCodes.Status415UnsupportedMediaType, "Not a JPEG or PNG"),
            ImageRejection.ContentTypeMismatch => (StatusCodes.Status415UnsupportedMediaType, "Content type does not match the image"),
            ImageRejection.TooLarge => (StatusCodes.Status413PayloadTooLarge, "Image too large"),
            ImageRejection.BadDimensions => (StatusCodes.Status422UnprocessableEntity, "Image dimensions not accepted"),
            ImageRejection.Truncated => (StatusCodes.Status422UnprocessableEntity, "Image truncated"),
            ImageRejection.Corrupt => (StatusCodes.Status422UnprocessableEntity, "Image corrupt"),
            _ => (StatusCodes.Status422UnprocessableEntity, "Image rejected"),
        };
        return Create(status, reason.Code(), title, message);
    }
}
