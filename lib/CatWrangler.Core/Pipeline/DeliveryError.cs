namespace CatWrangler.Core.Pipeline;

/// <summary>
/// The categories a <see cref="Scans.DeliveryAttempt"/> records as its error, besides the transport ones the adapter reports
/// (<c>address_refused</c>, <c>connection_failed</c>, <c>timeout</c>, <c>tls</c>). Fixed words, never exception text.
/// </summary>
public static class DeliveryError
{
    /// <summary>The receiver answered a non-2xx status (recorded with the code).</summary>
    public const string HttpStatus = "http_status";

    /// <summary>The receiver answered 3xx; redirects are never followed.</summary>
    public const string RedirectRefused = "redirect_refused";

    /// <summary>The callback URL fails the URL policy (scheme, credentials, a literal special-purpose address).</summary>
    public const string UrlRefused = "url_refused";

    /// <summary>The client has no secret to sign with.</summary>
    public const string NoSecret = "no_secret";

    /// <summary>No success within the 24 h schedule.</summary>
    public const string ScheduleExhausted = "schedule_exhausted";
}
