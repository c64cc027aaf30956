namespace CatWrangler.Cli.Api;

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
