using System.Globalization;
using CatWrangler.Core.Buffers;
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

    /// <summary>Authenticate → rate-limit → read the body → parse the submission → accept → answer.</summary>
    public async Task<Results<Accepted<ScanView>, ProblemHttpResult>> SubmitAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!(await AuthenticateHeadersAsync(request, cancellationToken)).TryGet(out var signed, out var problem))
        {
            return problem;
        }

        if (Limit(request, signed.Client) is { } limited)
        {
            return limited;
        }

        var form = SubmissionParser.FormOf(request);
        if (!(await ReadBodyAsync(request, signed, form, cancellationToken)).TryGet(out var body, out problem))
        {
            return problem;
        }

        using (body)
        {
            if (!(await ParseSubmissionAsync(request, signed, form, body, cancellationToken)).TryGet(out var submission, out problem))
            {
                return problem;
            }

            return await AcceptAsync(request, submission, cancellationToken);
        }
    }

    public async Task<Results<Ok<ScanView>, ProblemHttpResult>> GetAsync(HttpRequest request, string id, bool? debug, CancellationToken cancellationToken)
    {
        if (!(await AuthenticateBodylessAsync(request, cancellationToken)).TryGet(out var client, out var problem))
        {
            return problem;
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
        if (!(await AuthenticateBodylessAsync(request, cancellationToken)).TryGet(out var client, out var problem))
        {
            return problem;
        }

        if (limit is < 1 or > MaxListLimit)
        {
            return ApiProblems.BadRequest("invalid_limit", $"limit must be between 1 and {MaxListLimit}.");
        }

        var recent = await scans.ListRecentAsync(new ScanListQuery(ClientId: client.Id, Limit: limit ?? 20), cancellationToken);
        return TypedResults.Ok(new ScanListView([.. recent.Where(s => s.Source.Api?.ClientId == client.Id).Select(s => ScanView.From(s, includeDebug: false))]));
    }

    /// <summary>GETs are signed over an empty body.</summary>
    internal async Task<ApiStep<ApiClient>> AuthenticateBodylessAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!(await AuthenticateHeadersAsync(request, cancellationToken)).TryGet(out var signed, out var problem))
        {
            return problem;
        }

        if (RequestAuthenticator.VerifyEmptyBody(signed) is { } failure)
        {
            return Unauthorized(request, failure);
        }

        return Limit(request, signed.Client) is { } limited ? limited : signed.Client;
    }

    private ProblemHttpResult? Limit(HttpRequest request, ApiClient client)
    {
        if (rateLimiter.TryAcquire(client.Id, out var retryAfter))
        {
            return null;
        }

        Log.RateLimited(logger, client.Id);
        request.HttpContext.Response.Headers.RetryAfter = RetryAfterSeconds(retryAfter);
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

    private async Task<ApiStep<SignedRequest>> AuthenticateHeadersAsync(HttpRequest request, CancellationToken cancellationToken)
        => await authenticator.CheckHeadersAsync(request, cancellationToken) switch
        {
            HeaderCheck.Signed signed => signed.Request,
            HeaderCheck.Failed failed => Unauthorized(request, failed.Failure),
            _ => throw new InvalidOperationException("unknown header check"),
        };

    /// <summary>The whole body, its signature verified, held to the limit of its form.</summary>
    private async Task<ApiStep<PooledBody>> ReadBodyAsync(HttpRequest request, SignedRequest signed, SubmissionForm form, CancellationToken cancellationToken)
    {
        var inlineBytes = options.InlineImageBytes(limits.MaxBytes);
        var maxBytes = form switch
        {
            SubmissionForm.Json => JsonSubmission.MaxBodyBytes(inlineBytes, options.MultipartOverheadBytes),
            SubmissionForm.Multipart => inlineBytes + options.MultipartOverheadBytes,
            _ => inlineBytes,
        };
        switch (await bodyReader.ReadAsync(request, signed, maxBytes, cancellationToken))
        {
            case BodyRead.Verified verified:
                return verified.Body;
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
    }

    /// <summary>The image and options in the body's form, then the checks that need the client: debug scope, outbound URLs.</summary>
    private async Task<ApiStep<ScanSubmission>> ParseSubmissionAsync(
        HttpRequest request, SignedRequest signed, SubmissionForm form, PooledBody body, CancellationToken cancellationToken)
    {
        var parsed = form switch
        {
            SubmissionForm.Json => await SubmissionParser.ParseJsonAsync(body, signed.Client.Id, options.InlineImageBytes(limits.MaxBytes), staging, limits, cancellationToken),
            SubmissionForm.Multipart => await SubmissionParser.ParseMultipartAsync(request.ContentType!, body, cancellationToken),
            _ => SubmissionParser.ParseRaw(request, body),
        };
        if (!parsed.TryGet(out var upload, out var badRequest))
        {
            Log.UploadRejected(logger, signed.Client.Id, badRequest.ProblemDetails.Extensions["code"]?.ToString() ?? "bad_request");
            return badRequest;
        }

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

        return new ScanSubmission(
            signed.Client.Id, signed.WebhookId, upload.Bytes, upload.ContentType, upload.CallbackUrl, upload.Reference, upload.Debug, upload.ImageUrl);
    }

    /// <summary>Hands the submission to the one accept path and maps its result to the answer.</summary>
    private async Task<Results<Accepted<ScanView>, ProblemHttpResult>> AcceptAsync(HttpRequest request, ScanSubmission submission, CancellationToken cancellationToken)
    {
        IntakeResult result;
        try
        {
            result = await intake.AcceptAsync(submission, cancellationToken);
        }
        catch (Exception e) when (InsufficientStorage.IsCause(e))
        {
            Log.StorageFull(logger, submission.ClientId);
            return ApiProblems.InsufficientStorage();
        }

        switch (result)
        {
            case IntakeResult.Accepted accepted:
                Log.ScanAccepted(logger, accepted.Scan.Id, submission.ClientId, submission.Bytes.Length, accepted.Replayed);
                return TypedResults.Accepted($"{request.PathBase}/v1/scans/{accepted.Scan.Id}", ScanView.From(accepted.Scan, includeDebug: false));
            case IntakeResult.Rejected rejected:
                Log.UploadRejected(logger, submission.ClientId, rejected.Reason.ToString());
                return ApiProblems.ImageRejected(rejected.Reason, rejected.Message);
            case IntakeResult.KeyConflict conflict:
                Log.IdempotencyConflict(logger, submission.ClientId, submission.IdempotencyKey, conflict.ExistingScanId);
                return ApiProblems.Conflict(submission.IdempotencyKey);
            default:
                throw new InvalidOperationException("unknown intake result");
        }
    }
}
