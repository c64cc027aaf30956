using System.Net.Http.Headers;
using CatWrangler.Core.Ports;

namespace CatWrangler.Adapters.Http;

/// <summary>
/// Sends callbacks with the guarded client (<see cref="ClientName"/>): no redirects, every resolved address checked, a
/// fixed timeout. Failures come back as categories; the response body is never read (only its status and <c>Retry-After</c>).
/// </summary>
public sealed class HttpCallbackTransport(IHttpClientFactory clients, TimeProvider time) : ICallbackTransport
{
    public const string ClientName = "callbacks";

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public async Task<CallbackResponse> PostAsync(CallbackRequest request, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, request.Url) { Content = new ByteArrayContent(request.Body) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        foreach (var (name, value) in request.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            return CallbackResponse.Answered((int)response.StatusCode, RetryAfter(response.Headers.RetryAfter));
        }
        catch (Exception e) when (OutboundFailure.Categorize(e, cancellationToken) is { } category)
        {
            return CallbackResponse.Failed(category);
        }
    }

    private TimeSpan? RetryAfter(RetryConditionHeaderValue? header) => header switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - time.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };
}
