namespace CatWrangler.Webhooks;

/// <summary>Routes of the two-step upload, mapped into the API's <c>/v1</c> group.</summary>
public static class UploadEndpointRoutes
{
    public static void MapUploads(this IEndpointRouteBuilder endpoints, RouteGroupBuilder v1)
    {
        v1.MapPost("/uploads", (HttpRequest request, UploadEndpoints uploads, CancellationToken ct) => uploads.CreateAsync(request, ct))
            .WithName("CreateUpload")
            .WithTags("uploads")
            .WithSummary("A short-lived URL to PUT one image over the inline limit to (signed like GETs, empty body); then submit {\"image\":{\"uploadId\"}}.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        v1.MapPut("/uploads/{uploadId}", (HttpRequest request, string uploadId, string? client, string? expires, string? signature, UploadEndpoints uploads, CancellationToken ct)
                => uploads.ReceiveAsync(request, uploadId, client, expires, signature, ct))
            .WithName("PutUpload")
            .WithTags("uploads")
            .WithSummary("Embedded default only: the upload URL from POST /v1/uploads (authorised by its own query signature; single use).")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
    }
}
