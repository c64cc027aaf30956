using System.Globalization;
using CatWrangler.Core.Images;
using CatWrangler.Core.Pipeline;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace CatWrangler.Webhooks;

/// <summary>Handlers of <c>/v1/scans</c>. Every request is authenticated first; every error is a problem body.</summary>
public sealed class ScanApiEndpoints(
    RequestAuthenticator authenticator,
    SignedBodyReader bodyReader,
    AuthFailureLog authFailures,
    ScanApiRateLimiter rateLimiter,
    ScanIntake intake,
    IScanStore scans,
    ImageLimits limits,
    CallbackUrlPolicy callbackPolicy,
    ScanApiOptions options,
    IUploadStaging staging,
    ILogger<ScanApiEndpoints> logger)
{
    public const int MaxReferenceLength = 256;
    public const int MaxListLimit = 100;

    public async Task<Results<Accepted<ScanView>, ProblemHttpResult>> SubmitAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (signed, failure) = await authenticator.CheckHeadersAsync(request, cancellationToken);
        if (signed is null)
        {
            return Unauthorized(request, failure!);
        }

        if (Limit(request, signed.Client) is { } limited)
        {
            return limited;
        }

        var isMultipart = request.HasFormContentType && MediaTypeHeaderValue.TryParse(request.ContentType, out var media) && media.Boundary.HasValue;
        var isJson = MediaTypeHeaderValue.TryParse(request.ContentType, out var declared) && declared.MediaType.Equals(JsonSubmission.MediaType, StringComparison.OrdinalIgnoreCase);
        var inlineBytes = options.InlineImageBytes(limits.MaxBytes);
        var maxBytes = isJson ? JsonSubmission.MaxBodyBytes(inlineBytes, options.MultipartOverheadBytes)
            : inlineBytes + (isMultipart ? options.MultipartOverheadBytes : 0);
        PooledBody body;
        switch (await bodyReader.ReadAsync(request, signed, maxBytes, cancellationToken))
        {
            case BodyRead.Verified verified:
                body = verified.Body;
                break;
            case BodyRead.TooLarge:
                Log.UploadRejected(logger, signed.Client.Id, "too_large");
                return ApiProblems.TooLarge(inlineBytes);
            case BodyRead.Busy busy:
                // The unread body is not worth draining: close the connection after the answer.
                request.HttpContext.Response.Headers.Connection = "close";
                request.HttpContext.Response.Headers.RetryAfter = RetryAfterSeconds(busy.RetryAfter);
                return ApiProblems.Busy(busy.RetryAfter);
            case BodyRead.Unauthorized unauthorized:
                return Unauthorized(request, unauthorized.Failure);
            case BodyRead.Malformed malformed:
                Log.UploadRejected(logger, signed.Client.Id, "invalid_body");
                return ApiProblems.BadRequest("invalid_body", "The request body is malformed: " + malformed.Detail);
            default:
                return ApiProblems.BadRequest("aborted", "The upload was aborted.");
        }

        using var ownedBody = body;
        var parsed = isJson ? FromJson(await JsonSubmission.ReadAsync(body.Memory, signed.Client.Id, inlineBytes, staging, limits, cancellationToken))
            : isMultipart ? await ParseMultipartAsync(request.ContentType!, body, cancellationToken)
            : ParseRaw(request, body);
        if (parsed.Problem is { } badRequest)
        {
            Log.UploadRejected(logger, signed.Client.Id, badRequest.ProblemDetails.Extensions["code"]?.ToString() ?? "bad_request");
            return badRequest;
        }

        var upload = parsed.Upload!;
        if (upload.Debug && !signed.Client.HasScope(ApiClient.DebugScope))
        {
            return ApiProblems.DebugScopeRequired();
        }

        if (upload.CallbackUrl is { } callbackUrl && callbackPolicy.Validate(callbackUrl) is { } callbackProblem)
        {
            return ApiProblems.BadRequest("invalid_callback_url", callbackProblem);
        }

        if (upload.ImageUrl is { } imageUrl && callbackPolicy.Validate(imageUrl, "image.url") is { } imageUrlProblem)
        {
            Log.UploadRejected(logger, signed.Client.Id, "invalid_image_url");
            return ApiProblems.BadRequest("invalid_image_url", imageUrlProblem);
        }

        var submission = new ScanSubmission(
            signed.Client.Id, signed.WebhookId, upload.Bytes, upload.ContentType, upload.CallbackUrl, upload.Reference, upload.Debug, upload.ImageUrl);
        IntakeResult result;
        try
        {
            result = await intake.AcceptAsync(submission, cancellationToken);
        }
        catch (Exception e) when (InsufficientStorage.IsCause(e))
        {
            Log.StorageFull(logger, signed.Client.Id);
            return ApiProblems.InsufficientStorage();
        }

        switch (result)
        {
            case IntakeResult.Accepted accepted:
                Log.ScanAccepted(logger, accepted.Scan.Id, signed.Client.Id, upload.Bytes.Length, accepted.Replayed);
                return TypedResults.Accepted($"{request.PathBase}/v1/scans/{accepted.Scan.Id}", ScanView.From(accepted.Scan, includeDebug: false));
            case IntakeResult.Rejected rejected:
                Log.UploadRejected(logger, signed.Client.Id, rejected.Reason.ToString());
                return ApiProblems.ImageRejected(rejected.Reason, rejected.Message);
            case IntakeResult.KeyConflict conflict:
                Log.IdempotencyConflict(logger, signed.Client.Id, signed.WebhookId, conflict.ExistingScanId);
                return ApiProblems.Conflict(signed.WebhookId);
            default:
                throw new InvalidOperationException("unknown intake result");
        }
    }

    public async Task<Results<Ok<ScanView>, ProblemHttpResult>> GetAsync(HttpRequest request, string id, bool? debug, CancellationToken cancellationToken)
    {
        var (client, problem) = await AuthenticateBodylessAsync(request, cancellationToken);
        if (client is null)
        {
            return problem!;
        }

        var includeDebug = debug == true;
        if (includeDebug && !client.HasScope(ApiClient.DebugScope))
        {
            return ApiProblems.DebugScopeRequired();
        }

        var scan = id.Length <= 64 ? await scans.GetAsync(id, cancellationToken) : null;
        return scan?.Source.Api?.ClientId == client.Id
            ? TypedResults.Ok(ScanView.From(scan, includeDebug))
            : ApiProblems.NotFound(id);
    }

    public async Task<Results<Ok<ScanListView>, ProblemHttpResult>> ListAsync(HttpRequest request, int? limit, CancellationToken cancellationToken)
    {
        var (client, problem) = await AuthenticateBodylessAsync(request, cancellationToken);
        if (client is null)
        {
            return problem!;
        }

        if (limit is < 1 or > MaxListLimit)
        {
            return ApiProblems.BadRequest("invalid_limit", $"limit must be between 1 and {MaxListLimit}.");
        }

        var recent = await scans.ListRecentAsync(new ScanListQuery(ClientId: client.Id, Limit: limit ?? 20), cancellationToken);
        return TypedResults.Ok(new ScanListView([.. recent.Where(s => s.Source.Api?.ClientId == client.Id).Select(s => ScanView.From(s, includeDebug: false))]));
    }

    /// <summary>GETs are signed over an empty body.</summary>
    internal async Task<(ApiClient? Client, ProblemHttpResult? Problem)> AuthenticateBodylessAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (signed, failure) = await authenticator.CheckHeadersAsync(request, cancellationToken);
        failure ??= RequestAuthenticator.VerifyEmptyBody(signed!);
        if (failure is not null)
        {
            return (null, Unauthorized(request, failure));
        }

        return Limit(request, signed!.Client) is { } limited ? (null, limited) : (signed.Client, null);
    }

    private ProblemHttpResult? Limit(HttpRequest request, ApiClient client)
    {
        var (acquired, retryAfter) = rateLimiter.TryAcquire(client.Id);
        if (acquired)
        {
            return null;
        }

        Log.RateLimited(logger, client.Id);
        request.HttpContext.Response.Headers.RetryAfter = RetryAfterSeconds(retryAfter ?? TimeSpan.FromSeconds(1));
        return ApiProblems.RateLimited(retryAfter);
    }

    private static string RetryAfterSeconds(TimeSpan retryAfter)
        => Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    private ProblemHttpResult Unauthorized(HttpRequest request, AuthFailure failure)
    {
        authFailures.Write(ClientForLog(request), failure.Code);
        return ApiProblems.Unauthorized(failure);
    }

    private static string ClientForLog(HttpRequest request)
    {
        string? id = request.Headers[ApiHeaders.Client];
        return ApiClientRegistry.IsValidId(id) ? id! : "(none)";
    }

    /// <param name="ImageUrl">Set instead of <paramref name="Bytes"/> (then empty) for an image the processor fetches.</param>
    private sealed record Upload(ReadOnlyMemory<byte> Bytes, string? ContentType, string? CallbackUrl, string? Reference, bool Debug, string? ImageUrl = null);

    private sealed record ParsedUpload(Upload? Upload, ProblemHttpResult? Problem)
    {
        public static ParsedUpload Bad(string code, string detail) => new(null, ApiProblems.BadRequest(code, detail));
    }

    /// <summary>Raw image body; options in the query string (covered by the idempotency fingerprint, not the signature).</summary>
    private static ParsedUpload ParseRaw(HttpRequest request, PooledBody body)
    {
        var query = request.Query;
        return BuildUpload(body.Memory, DeclaredType(request.ContentType), query["callback_url"], query["reference"], query["debug"]);
    }

    /// <summary>JSON options go through the same checks as the other forms; the image type is judged by content alone.</summary>
    private static ParsedUpload FromJson(JsonSubmission json)
    {
        if (json.Problem is { } problem)
        {
            return new ParsedUpload(null, problem);
        }

        var parsed = BuildUpload(json.Image, null, json.CallbackUrl, json.Reference, json.Debug ? "true" : null);
        return parsed.Upload is { } upload ? parsed with { Upload = upload with { ImageUrl = json.ImageUrl } } : parsed;
    }

    /// <summary>A <c>file</c> part (any part with a file name) plus optional <c>callback_url</c>, <c>reference</c>, <c>debug</c> fields.</summary>
    private static async Task<ParsedUpload> ParseMultipartAsync(string contentType, PooledBody body, CancellationToken cancellationToken)
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
                        return ParsedUpload.Bad("multiple_files", "Send one image per request.");
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
            return ParsedUpload.Bad("invalid_multipart", "The multipart body is malformed: " + e.Message);
        }

        return file is null
            ? ParsedUpload.Bad("missing_file", "The multipart body has no 'file' part.")
            : BuildUpload(file, fileType, callbackUrl, reference, debug);
    }

    private static ParsedUpload BuildUpload(ReadOnlyMemory<byte> bytes, string? contentType, string? callbackUrl, string? reference, string? debug)
    {
        if (reference is { Length: > MaxReferenceLength })
        {
            return ParsedUpload.Bad("invalid_reference", $"reference must be at most {MaxReferenceLength} characters.");
        }

        if (!TryParseFlag(debug, out var debugRequested))
        {
            return ParsedUpload.Bad("invalid_debug", "debug must be true or false.");
        }

        return new ParsedUpload(new Upload(bytes, contentType, NullIfEmpty(callbackUrl), NullIfEmpty(reference), debugRequested), null);
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
}
