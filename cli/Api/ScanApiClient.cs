using CatWrangler.Core.Scans;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CatWrangler.Core.Json;
using CatWrangler.Core.Security;
using CatWrangler.Webhooks;

namespace CatWrangler.Cli.Api;

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
