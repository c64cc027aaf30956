namespace CatWrangler.Core.Ports;

/// <summary>
/// What the receiver did: a <paramref name="StatusCode"/> when it answered, else a transport <paramref name="Failure"/>
/// category (<c>address_refused</c>, <c>connection_failed</c>, <c>timeout</c>, <c>tls</c>); never exception text.
/// <paramref name="RetryAfter"/> is the receiver's <c>Retry-After</c>, as a delay from now.
/// </summary>
public sealed record CallbackResponse(int? StatusCode, string? Failure, TimeSpan? RetryAfter)
{
    public const string AddressRefused = "address_refused";

    public static CallbackResponse Answered(int statusCode, TimeSpan? retryAfter = null) => new(statusCode, null, retryAfter);

    public static CallbackResponse Failed(string failure) => new(null, failure, null);
}
