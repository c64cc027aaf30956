using System.Net;
using System.Text;

namespace CatWrangler.Aws.Tests.Contracts;

/// <summary>
/// Records each request exactly as our client hands it to the network (headers lower-cased, <c>host</c> added the way
/// the socket handler adds it) and answers from a queue of canned responses (the last one repeats).
/// </summary>
public sealed class RecordingHandler(params (HttpStatusCode Status, string Body, string? ErrorTypeHeader)[] responses) : HttpMessageHandler
{
    private int _next;

    public List<RecordedRequest> Requests { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["host"] = request.RequestUri!.IsDefaultPort ? request.RequestUri.Host : request.RequestUri.Authority,
        };
        foreach (var (name, values) in request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>()))
        {
            headers[name.ToLowerInvariant()] = string.Join(',', values);
        }

        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        Requests.Add(new RecordedRequest(request.Method.Method, request.RequestUri.ToString(), headers, body));

        var (status, text, errorType) = responses[Math.Min(_next++, responses.Length - 1)];
        var response = new HttpResponseMessage(status) { Content = new StringContent(text, Encoding.UTF8, "application/x-amz-json-1.1") };
        if (errorType is not null)
        {
            response.Headers.TryAddWithoutValidation("x-amzn-ErrorType", errorType);
        }

        return response;
    }
}

public sealed record RecordedRequest(string Method, string Url, IReadOnlyDictionary<string, string> Headers, byte[] Body);
