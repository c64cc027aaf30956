using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace CatWrangler.Slack.Api;

/// <summary>The one retry policy for every call to Slack (Web API, file downloads, response_url).</summary>
public static class SlackResilience
{
    public const int MaxRetries = 3;

    public static IHttpClientBuilder AddSlackRetry(this IHttpClientBuilder builder)
    {
        builder.AddResilienceHandler("slack", pipeline => pipeline.AddRetry(new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = MaxRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromSeconds(1),
            // Slack's 429 says how long to wait; that wins over the backoff.
            ShouldRetryAfterHeader = true,
            ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context.GetRequestMessage())),
        }));
        return builder;
    }

    /// <summary>
    /// 429 is always safe to retry (Slack did nothing). Other transient faults only for reads: a 5xx after a
    /// chat.postMessage may have posted already, and a duplicate reply is worse than a late one.
    /// </summary>
    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, HttpRequestMessage? request)
    {
        if (outcome.Result?.StatusCode == HttpStatusCode.TooManyRequests)
        {
            return true;
        }

        var isRead = request is not null && (request.Method == HttpMethod.Get || IsReadOnlyApiCall(request.RequestUri));
        return isRead && HttpClientResiliencePredicates.IsTransient(outcome);
    }

    private static bool IsReadOnlyApiCall(Uri? uri)
        => uri is not null && uri.AbsolutePath.EndsWith("/files.info", StringComparison.Ordinal);
}
