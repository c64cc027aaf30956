using CatWrangler.Core.Scans;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CatWrangler.Core.Json;
using CatWrangler.Core.Security;
using CatWrangler.Webhooks;

namespace CatWrangler.Cli.Api;

/// <summary>Where the service is and who the caller is (flags, else <c>CATSCAN_URL</c>, <c>CATSCAN_CLIENT</c>, <c>CATSCAN_SECRET</c>).</summary>
public sealed record ApiConnection(Uri BaseUrl, string ClientId, string Secret)
{
    public const string DefaultUrl = "http://127.0.0.1:5080";
}

/// <summary>An RFC 9457 problem from the service, or a transport failure (<see cref="Status"/> null).</summary>
public sealed record ApiError(int? Status, string Code, string Message);

/// <summary>Either a value or an error.</summary>
public sealed record ApiResult<T>(T? Value, ApiError? Error) where T : class
{
    public static ApiResult<T> Ok(T value) => new(value, null);

    public static ApiResult<T> Fail(ApiError error) => new(null, error);
}

/// <summary>Signed calls to the scan API (Standard Webhooks, one fresh webhook-id per request).</summary>
public sealed class ScanApiClient(HttpClient http, ApiConnection connection, TimeProvider time)
{
    public async Task<ApiResult<ScanView>> SubmitAsync(byte[] image, string contentType, string? callbackUrl, string? reference, CancellationToken cancellationToken)
    {
        var query = new List<string>();
        if (callbackUrl is not null)
        {
            query.Add("callback_url=" + Uri.EscapeDataString(callbackUrl));
        }

        if (reference is not null)
        {
            query.Add("reference=" + Uri.EscapeDataString(reference));
        }

        var path = "v1/scans" + (query.Count > 0 ? "?" + string.Join('&', query) : "");
        var content = new ByteArrayContent(image);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return await SendAsync<ScanView>(HttpMethod.Post, path, content, image, cancellationToken);
    }

    /// <summary>
    /// The two-step upload for images over the inline limit: <c>POST /v1/uploads</c>, <c>PUT</c> the bytes to the returned
    /// URL (presigned S3 or the service's own signed URL: no API signature), then submit <c>{"image":{"uploadId":…}}</c>.
    /// </summary>
    public async Task<ApiResult<ScanView>> SubmitStagedAsync(byte[] image, string? callbackUrl, string? reference, CancellationToken cancellationToken)
    {
        var slot = await SendAsync<UploadView>(HttpMethod.Post, "v1/uploads", null, [], cancellationToken);
        if (slot.Value is not { } upload)
        {
            return ApiResult<ScanView>.Fail(slot.Error!);
        }

        using (var put = new HttpRequestMessage(new HttpMethod(upload.Method), upload.Url) { Content = new ByteArrayContent(image) })
        {
            foreach (var (name, value) in upload.Headers)
            {
                if (!put.Headers.TryAddWithoutValidation(name, value))
                {
                    put.Content.Headers.TryAddWithoutValidation(name, value);
                }
            }

            try
            {
                using var response = await http.SendAsync(put, cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    return ApiResult<ScanView>.Fail(await ReadProblemAsync(response, cancellationToken));
                }
            }
            catch (HttpRequestException e)
            {
                return ApiResult<ScanView>.Fail(new ApiError(null, "unreachable", $"cannot reach the upload URL {upload.Url.GetLeftPart(UriPartial.Path)}: {Describe(e)}"));
            }
        }

        var json = JsonSerializer.Serialize(new JsonScanRequest(new JsonScanImage(null, null, upload.UploadId), callbackUrl, reference, null), CatWranglerJson.Options);
        var content = new StringContent(json, System.Text.Encoding.UTF8, JsonSubmission.MediaType);
        return await SendAsync<ScanView>(HttpMethod.Post, "v1/scans", content, System.Text.Encoding.UTF8.GetBytes(json), cancellationToken);
    }

    public Task<ApiResult<ScanView>> GetAsync(string scanId, bool debug, CancellationToken cancellationToken)
        => SendAsync<ScanView>(HttpMethod.Get, $"v1/scans/{Uri.EscapeDataString(scanId)}" + (debug ? "?debug=true" : ""), null, [], cancellationToken);

    private async Task<ApiResult<T>> SendAsync<T>(HttpMethod method, string path, HttpContent? content, byte[] body, CancellationToken cancellationToken)
        where T : class
    {
        var id = "msg_" + Guid.CreateVersion7().ToString("N");
        var now = time.GetUtcNow();
        using var request = new HttpRequestMessage(method, new Uri(connection.BaseUrl, path)) { Content = content };
        request.Headers.Add(ApiHeaders.Client, connection.ClientId);
        request.Headers.Add(ApiHeaders.WebhookId, id);
        request.Headers.Add(ApiHeaders.WebhookTimestamp, now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(ApiHeaders.WebhookSignature, StandardWebhooksSignature.Sign(connection.Secret, id, now, body));

        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                var value = await response.Content.ReadFromJsonAsync<T>(CatWranglerJson.Options, cancellationToken);
                return value is null ? ApiResult<T>.Fail(new ApiError((int)response.StatusCode, "empty_response", "The service sent an empty answer.")) : ApiResult<T>.Ok(value);
            }

            return ApiResult<T>.Fail(await ReadProblemAsync(response, cancellationToken));
        }
        catch (HttpRequestException e)
        {
            return ApiResult<T>.Fail(new ApiError(null, "unreachable", $"cannot reach {connection.BaseUrl}: {Describe(e)}"));
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ApiResult<T>.Fail(new ApiError(null, "timeout", $"{connection.BaseUrl} did not answer in time"));
        }
    }

    private static async Task<ApiError> ReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        string code = "http_" + status, message = response.ReasonPhrase ?? "error";
        try
        {
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            if (problem.RootElement.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String)
            {
                code = c.GetString()!;
            }

            if (problem.RootElement.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String)
            {
                message = d.GetString()!;
            }
            else if (problem.RootElement.TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String)
            {
                message = t.GetString()!;
            }
        }
        catch (JsonException)
        {
            // not a problem body (e.g. a proxy's HTML page): keep the status line
        }

        return new ApiError(status, code, message);
    }

    private static string Describe(HttpRequestException e) => e.HttpRequestError switch
    {
        HttpRequestError.ConnectionError when e.InnerException?.Message is { } inner => "connection failed (" + inner + ")",
        HttpRequestError.NameResolutionError => "host name not found",
        HttpRequestError.SecureConnectionError => "TLS handshake failed",
        _ => e.Message,
    };
}

/// <summary>Exit codes of the client commands (documented in docs/api.md).</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>A file was rejected, unreadable, or its scan failed.</summary>
    public const int Rejected = 1;
    /// <summary>Bad usage: missing credentials, bad URL.</summary>
    public const int Usage = 2;
    /// <summary>401/403: signature or scope rejected.</summary>
    public const int Unauthorized = 3;
    /// <summary>The service could not be reached, or answered with a server error.</summary>
    public const int Unavailable = 4;
    /// <summary>--wait gave up before every scan finished.</summary>
    public const int Timeout = 5;
    /// <summary>The scan does not exist (status).</summary>
    public const int NotFound = 6;

    /// <summary>Maps a failed call to an exit code and one line for the user.</summary>
    public static (int Code, string Message) For(ApiError error) => error.Status switch
    {
        StatusCodes.Status401Unauthorized => (Unauthorized, $"signature rejected: check --client/--secret ({error.Message})"),
        StatusCodes.Status403Forbidden => (Unauthorized, $"not allowed: {error.Message}"),
        StatusCodes.Status404NotFound => (NotFound, error.Message),
        StatusCodes.Status429TooManyRequests => (Unavailable, $"rate limited: {error.Message}"),
        null => (Unavailable, error.Message),
        >= 500 => (Unavailable, $"service error {error.Status}: {error.Message}"),
        _ => (Rejected, error.Message),
    };
}
