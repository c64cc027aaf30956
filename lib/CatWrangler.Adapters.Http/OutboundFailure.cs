using System.Net.Http;
using System.Security.Authentication;
using CatWrangler.Core.Ports;

namespace CatWrangler.Adapters.Http;

/// <summary>
/// Why an outbound request failed, as a fixed category. Exception text is never shown to callers: "connection refused"
/// versus "no route to host" would tell an outsider which internal ports are open.
/// </summary>
public static class OutboundFailure
{
    /// <summary>The one word the callback sender also matches on (<see cref="CallbackResponse.AddressRefused"/>).</summary>
    public const string AddressRefused = CallbackResponse.AddressRefused;
    public const string ConnectionFailed = "connection_failed";
    public const string Timeout = "timeout";
    public const string Tls = "tls";
    public const string ResponseTooLarge = "response_too_large";

    /// <summary>
    /// The category of a failure thrown by an <see cref="HttpClient"/> on a guarded handler. A cancellation is a timeout
    /// only when <paramref name="cancellationToken"/> (the caller's own) was not cancelled.
    /// </summary>
    public static string? Categorize(Exception exception, CancellationToken cancellationToken)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case OutboundAddressRefusedException:
                    return AddressRefused;
                case ResponseTooLargeException:
                    return ResponseTooLarge;
                case AuthenticationException:
                    return Tls;
                case HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError }:
                    return Tls;
                case TimeoutException:
                    return Timeout;
            }
        }

        return exception switch
        {
            OperationCanceledException when !cancellationToken.IsCancellationRequested => Timeout,
            HttpRequestException or IOException => ConnectionFailed,
            _ => null,
        };
    }
}
