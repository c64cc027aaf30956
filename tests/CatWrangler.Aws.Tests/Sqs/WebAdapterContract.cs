using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CatWrangler.Aws.Tests.Sqs;

/// <summary>
/// What AWS Lambda Web Adapter (pass-through path) and Lambda's SQS event source mapping with
/// <c>ReportBatchItemFailures</c> make of the processor's answer, written down from their sources and documentation
/// (docs/aws.md, "The Web Adapter contract"), so tests judge <c>/events</c> by those rules and not by our own.
/// </summary>
internal static class WebAdapterContract
{
    /// <summary>The <c>AWS_LWA_ERROR_STATUS_CODES</c> the processor function is deployed with.</summary>
    public const string DeployedErrorStatusCodes = "400-599";

    /// <summary>The invocation result: either an error (<see cref="InvocationFailed"/>) or the JSON payload (null for JSON null).</summary>
    public sealed record Invocation(bool InvocationFailed, JsonNode? Payload);

    /// <summary>
    /// Posts <paramref name="eventJson"/> the way the adapter forwards a non-HTTP event (POST to the pass-through path,
    /// <c>Content-Type: application/json</c>) and turns the app's response into the invocation result by the adapter's rules.
    /// </summary>
    public static async Task<Invocation> InvokeAsync(HttpClient app, string eventJson, string? errorStatusCodes = DeployedErrorStatusCodes)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/events") { Content = new StringContent(eventJson, Encoding.UTF8, "application/json") };
        request.Headers.Add("x-amzn-request-context", "{}");
        request.Headers.Add("x-amzn-lambda-context", """{"request_id":"test","deadline":0,"invoked_function_arn":"arn:aws:lambda:us-east-1:123456789012:function:processor"}""");
        using var response = await app.SendAsync(request);
        return ToInvocation((int)response.StatusCode, response.Content.Headers, await response.Content.ReadAsByteArrayAsync(), errorStatusCodes);
    }

    /// <summary>
    /// The adapter's mapping: a status listed in <c>AWS_LWA_ERROR_STATUS_CODES</c> fails the invocation; otherwise the
    /// status is dropped and the body becomes the payload: read as text when there is no <c>Content-Encoding</c> and the
    /// content type is absent or textual (text/*, application/json…, *+json…), then parsed as JSON; anything that is
    /// not text or not JSON (an empty body too) becomes JSON <c>null</c>.
    /// </summary>
    public static Invocation ToInvocation(int status, HttpContentHeaders headers, byte[] body, string? errorStatusCodes)
    {
        if (ParseStatusCodes(errorStatusCodes).Contains(status))
        {
            return new Invocation(true, null);
        }

        if (headers.ContentEncoding.Count > 0 || !IsText(headers.ContentType))
        {
            return new Invocation(false, null);
        }

        try
        {
            return new Invocation(false, JsonNode.Parse(Encoding.UTF8.GetString(body)));
        }
        catch (JsonException)
        {
            return new Invocation(false, null);
        }
    }

    /// <summary>
    /// Lambda's reading of the result for an SQS batch with <c>ReportBatchItemFailures</c>: the records it leaves on the
    /// queue (redelivered later); every other record is deleted. A failed invocation, an empty or null
    /// <c>itemIdentifier</c>, or one that names no record of the batch, fails the whole batch; a null payload, an object
    /// without <c>batchItemFailures</c> or an empty list is a complete success.
    /// </summary>
    public static IReadOnlySet<string> Redelivered(Invocation invocation, IReadOnlyCollection<string> messageIds)
    {
        var all = new HashSet<string>(messageIds, StringComparer.Ordinal);
        if (invocation.InvocationFailed)
        {
            return all;
        }

        if (invocation.Payload is not JsonObject result || result["batchItemFailures"] is not JsonArray failures)
        {
            return new HashSet<string>();
        }

        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var failure in failures)
        {
            if (failure is not JsonObject item
                || item["itemIdentifier"] is not JsonValue value
                || !value.TryGetValue<string>(out var id)
                || id.Length == 0
                || !all.Contains(id))
            {
                return all;
            }

            listed.Add(id);
        }

        return listed;
    }

    /// <summary>The adapter's parser: comma-separated codes and <c>a-b</c> ranges; an unparseable entry is skipped.</summary>
    public static IReadOnlySet<int> ParseStatusCodes(string? text)
    {
        var codes = new HashSet<int>();
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var range = part.Split('-');
            if (range.Length == 1 && ushort.TryParse(range[0], out var code))
            {
                codes.Add(code);
            }
            else if (range.Length == 2 && ushort.TryParse(range[0], out var from) && ushort.TryParse(range[1], out var to))
            {
                for (int c = from; c <= to; c++)
                {
                    codes.Add(c);
                }
            }
        }

        return codes;
    }

    private static bool IsText(MediaTypeHeaderValue? contentType)
    {
        if (contentType?.MediaType is not { } mediaType)
        {
            return true;
        }

        string[] prefixes = ["text", "application/json", "application/javascript", "application/xml", "application/yaml"];
        string[] suffixes = ["+xml", "+yaml", "+json"];
        return prefixes.Any(p => mediaType.StartsWith(p, StringComparison.Ordinal)) || suffixes.Any(s => mediaType.EndsWith(s, StringComparison.Ordinal));
    }
}
