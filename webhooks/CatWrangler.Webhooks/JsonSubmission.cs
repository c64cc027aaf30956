using System.Text.Json;
using System.Text.Json.Serialization;
using CatWrangler.Core.Images;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Uploads;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CatWrangler.Webhooks;

/// <summary>An image (its bytes, or the URL the processor fetches it from) and its options from a JSON submission.</summary>
/// <param name="Image">Empty when <paramref name="ImageUrl"/> names the image instead.</param>
public sealed record JsonSubmission(byte[] Image, string? CallbackUrl, string? Reference, bool Debug, string? ImageUrl = null)
{
    public const string MediaType = "application/json";

    private static readonly JsonSerializerOptions Strict = new(JsonSerializerDefaults.Web)
    {
        // A typo ("callback_url", "imageUrl") or a repeated member must not be silently dropped or overridden.
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
        PropertyNameCaseInsensitive = false,
    };

    /// <summary>Body bytes a JSON submission may take: the inline image limit as base64 plus room for the other members.</summary>
    public static long MaxBodyBytes(long inlineImageBytes, long overheadBytes) => ((inlineImageBytes + 2) / 3 * 4) + overheadBytes;

    /// <summary>
    /// Parses the exact (already authenticated) body. base64 images are decoded here and held to
    /// <paramref name="inlineImageBytes"/>; staged uploads are read from <paramref name="staging"/> for the calling client
    /// only. Image checks happen later, in the one validator.
    /// </summary>
    public static async Task<ApiStep<JsonSubmission>> ReadAsync(
        ReadOnlyMemory<byte> body, string clientId, long inlineImageBytes, IUploadStaging staging, ImageLimits limits, CancellationToken cancellationToken)
    {
        JsonScanRequest? request;
        try
        {
            request = JsonSerializer.Deserialize<JsonScanRequest>(body.Span, Strict);
        }
        catch (JsonException e) when (e.Path == "$.image.base64" && e.InnerException is not null)
        {
            return Fail("invalid_base64", "image.base64 is not valid base64 (standard alphabet, with padding).");
        }
        catch (JsonException e)
        {
            return Fail("invalid_json", $"The body is not a valid scan request{(e.Path is { Length: > 1 } path ? $" (at {path})" : "")}: expected {{\"image\": {{\"base64\"|\"uploadId\"|\"url\": …}}, \"callbackUrl\", \"reference\", \"debug\"}}.");
        }

        var image = request?.Image;
        var sources = image is null ? 0 : (image.Url is null ? 0 : 1) + (image.Base64 is null ? 0 : 1) + (image.UploadId is null ? 0 : 1);
        if (sources != 1)
        {
            return Fail("invalid_image_source", "Set exactly one of image.base64, image.uploadId and image.url.");
        }

        var options = (request!.CallbackUrl, request.Reference, request.Debug ?? false);
        if (image!.Base64 is { } inline)
        {
            if (inline.Length > inlineImageBytes)
            {
                return ApiProblems.TooLarge(inlineImageBytes);
            }

            return new JsonSubmission(inline, options.CallbackUrl, options.Reference, options.Item3);
        }

        if (image.UploadId is { } uploadId)
        {
            return await ReadStagedAsync(uploadId, clientId, staging, limits, options, cancellationToken);
        }

        // Checked by the endpoint with the outbound URL policy; fetched later by the processor.
        return new JsonSubmission([], options.CallbackUrl, options.Reference, options.Item3, image.Url);
    }

    private static async Task<ApiStep<JsonSubmission>> ReadStagedAsync(
        string uploadId, string clientId, IUploadStaging staging, ImageLimits limits, (string? CallbackUrl, string? Reference, bool Debug) options, CancellationToken cancellationToken)
    {
        if (!UploadIds.IsValid(uploadId))
        {
            return Fail("invalid_upload_id", "image.uploadId must be an id returned by POST /v1/uploads.");
        }

        return await staging.ReadAsync(clientId, uploadId, limits.MaxBytes, cancellationToken) switch
        {
            StagedUpload.Found found => new JsonSubmission(found.Bytes, options.CallbackUrl, options.Reference, options.Debug),
            StagedUpload.TooLarge tooLarge => ApiProblems.ImageRejected(ImageRejection.TooLarge, $"The uploaded image has {tooLarge.Bytes} bytes; the limit is {limits.MaxBytes}."),
            _ => ApiProblems.Create(StatusCodes.Status404NotFound, "upload_not_found", "Upload not found",
                $"No uploaded image '{uploadId}' for this client: PUT the image to the URL from POST /v1/uploads first; staged images expire."),
        };
    }

    private static ProblemHttpResult Fail(string code, string detail) => ApiProblems.BadRequest(code, detail);
}
