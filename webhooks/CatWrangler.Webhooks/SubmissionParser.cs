using CatWrangler.Core.Buffers;
using CatWrangler.Core.Images;
using CatWrangler.Core.Ports;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace CatWrangler.Webhooks;

/// <summary>
/// Reads a scan submission's image and options from its verified body, in each of the three forms, and holds the options
/// to the same rules whichever form carried them.
/// </summary>
internal static class SubmissionParser
{
    /// <summary>The form of a submission by its Content-Type; anything neither multipart nor JSON is a raw image.</summary>
    public static SubmissionForm FormOf(HttpRequest request)
    {
        if (request.HasFormContentType && MediaTypeHeaderValue.TryParse(request.ContentType, out var media) && media.Boundary.HasValue)
        {
            return SubmissionForm.Multipart;
        }

        return MediaTypeHeaderValue.TryParse(request.ContentType, out var declared) && declared.MediaType.Equals(JsonSubmission.MediaType, StringComparison.OrdinalIgnoreCase)
            ? SubmissionForm.Json
            : SubmissionForm.Raw;
    }

    /// <summary>Raw image body; options in the query string (covered by the idempotency fingerprint, not the signature).</summary>
    public static ApiStep<ParsedSubmission> ParseRaw(HttpRequest request, PooledBody body)
    {
        var query = request.Query;
        return Build(body.Memory, DeclaredType(request.ContentType), query["callback_url"], query["reference"], query["debug"]);
    }

    /// <summary>JSON options go through the same checks as the other forms; the image type is judged by content alone.</summary>
    public static async Task<ApiStep<ParsedSubmission>> ParseJsonAsync(
        PooledBody body, string clientId, long inlineImageBytes, IUploadStaging staging, ImageLimits limits, CancellationToken cancellationToken)
    {
        if (!(await JsonSubmission.ReadAsync(body.Memory, clientId, inlineImageBytes, staging, limits, cancellationToken)).TryGet(out var json, out var problem))
        {
            return problem;
        }

        return Build(json.Image, null, json.CallbackUrl, json.Reference, json.Debug ? "true" : null, json.ImageUrl);
    }

    /// <summary>A <c>file</c> part (any part with a file name) plus optional <c>callback_url</c>, <c>reference</c>, <c>debug</c> fields.</summary>
    public static async Task<ApiStep<ParsedSubmission>> ParseMultipartAsync(string contentType, PooledBody body, CancellationToken cancellationToken)
    {
        var boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(contentType).Boundary).Value!;
        var reader = new MultipartReader(boundary, body.AsStream());
        byte[]? file = null;
        string? fileType = null, callbackUrl = null, reference = null, debug = null;
        try
        {
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
                if (disposition.IsFileDisposition() || name == "file")
                {
                    if (file is not null)
                    {
                        return Bad("multiple_files", "Send one image per request.");
                    }

                    using var memory = new MemoryStream();
                    await section.Body.CopyToAsync(memory, cancellationToken);
                    file = memory.ToArray();
                    fileType = DeclaredType(section.ContentType);
                    continue;
                }

                var value = await new StreamReader(section.Body).ReadToEndAsync(cancellationToken);
                switch (name)
                {
                    case "callback_url": callbackUrl = value; break;
                    case "reference": reference = value; break;
                    case "debug": debug = value; break;
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            // The body is already in memory: an IOException here is the parser's "unexpected end" (no closing boundary).
            return Bad("invalid_multipart", "The multipart body is malformed: " + e.Message);
        }

        return file is null
            ? Bad("missing_file", "The multipart body has no 'file' part.")
            : Build(file, fileType, callbackUrl, reference, debug);
    }

    private static ApiStep<ParsedSubmission> Build(
        ReadOnlyMemory<byte> bytes, string? contentType, string? callbackUrl, string? reference, string? debug, string? imageUrl = null)
    {
        if (reference is { Length: > ScanApiEndpoints.MaxReferenceLength })
        {
            return Bad("invalid_reference", $"reference must be at most {ScanApiEndpoints.MaxReferenceLength} characters.");
        }

        if (!TryParseFlag(debug, out var debugRequested))
        {
            return Bad("invalid_debug", "debug must be true or false.");
        }

        return new ParsedSubmission(bytes, contentType, NullIfEmpty(callbackUrl), NullIfEmpty(reference), debugRequested, imageUrl);
    }

    /// <summary>The declared image type; generic binary types declare nothing.</summary>
    private static string? DeclaredType(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType) || !MediaTypeHeaderValue.TryParse(contentType, out var media))
        {
            return null;
        }

        var type = media.MediaType.Value?.ToLowerInvariant();
        return type is "application/octet-stream" ? null : type;
    }

    private static bool TryParseFlag(string? value, out bool flag)
    {
        flag = false;
        if (string.IsNullOrEmpty(value))
        {
            return true;
        }

        if (bool.TryParse(value, out flag))
        {
            return true;
        }

        flag = value == "1";
        return value is "0" or "1";
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static ProblemHttpResult Bad(string code, string detail) => ApiProblems.BadRequest(code, detail);
}
