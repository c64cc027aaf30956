using CatWrangler.Adapters.Local;
using CatWrangler.Core.Images;
using CatWrangler.Core.Ports;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CatWrangler.Webhooks;

/// <summary>
/// Two-step uploads for images over the inline limit: <c>POST /v1/uploads</c> (signed, empty body) hands out a short-lived
/// URL; the image is <c>PUT</c> there (presigned S3 on AWS, <see cref="LocalUploadStaging"/> on the embedded default) and
/// then submitted as <c>{"image":{"uploadId":…}}</c>.
/// </summary>
public sealed class UploadEndpoints(ScanApiEndpoints api, IUploadStaging staging, ImageLimits limits, ILogger<UploadEndpoints> logger)
{
    public const string Route = "/v1/uploads";

    public async Task<Results<Ok<UploadView>, ProblemHttpResult>> CreateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!(await api.AuthenticateBodylessAsync(request, cancellationToken)).TryGet(out var client, out var problem))
        {
            return problem;
        }

        var apiBase = new Uri($"{request.Scheme}://{request.Host}{request.PathBase}/");
        var slot = await staging.CreateAsync(client.Id, apiBase, cancellationToken);
        Log.UploadSlotCreated(logger, slot.UploadId, client.Id);
        return TypedResults.Ok(UploadView.From(slot));
    }

    /// <summary>The local upload URL. The URL's own signature authorises it (like a presigned S3 URL), not the API headers.</summary>
    public async Task<Results<NoContent, ProblemHttpResult>> ReceiveAsync(HttpRequest request, string uploadId, string? client, string? expires, string? signature, CancellationToken cancellationToken)
    {
        if (staging is not LocalUploadStaging local)
        {
            return ApiProblems.Create(StatusCodes.Status404NotFound, "upload_route_not_local", "Not found", "On this platform uploads go to the presigned URL from POST /v1/uploads.");
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = limits.MaxBytes;
        }

        UploadReceipt receipt;
        try
        {
            receipt = string.IsNullOrEmpty(client) || string.IsNullOrEmpty(expires) || string.IsNullOrEmpty(signature)
                ? UploadReceipt.InvalidSignature
                : await local.ReceiveAsync(client, uploadId, expires, signature, request.ContentLength, request.Body, cancellationToken);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            receipt = UploadReceipt.TooLarge;
        }

        return receipt switch
        {
            UploadReceipt.Stored => TypedResults.NoContent(),
            UploadReceipt.Expired => ApiProblems.Create(StatusCodes.Status403Forbidden, "upload_url_expired", "Upload URL expired", "Ask POST /v1/uploads for a new URL."),
            UploadReceipt.AlreadyUsed => ApiProblems.Create(StatusCodes.Status409Conflict, "upload_already_used", "Upload URL already used", "Each upload URL takes one image; ask POST /v1/uploads for a new one."),
            UploadReceipt.TooLarge => ApiProblems.ImageRejected(ImageRejection.TooLarge, $"The image exceeds the limit of {limits.MaxBytes} bytes."),
            _ => ApiProblems.Create(StatusCodes.Status403Forbidden, "invalid_upload_signature", "Upload URL not valid", "Use the upload URL exactly as POST /v1/uploads returned it."),
        };
    }
}
