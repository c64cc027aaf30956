namespace CatWrangler.Webhooks;

/// <summary>What <see cref="RequestAuthenticator.CheckHeadersAsync"/> made of a request's signature headers.</summary>
public abstract record HeaderCheck
{
    private HeaderCheck() { }

    /// <summary>A known client and all signature headers; the body's signature is still to be verified.</summary>
    public sealed record Signed(SignedRequest Request) : HeaderCheck;

    /// <summary>Missing or malformed headers, a stale timestamp or an unknown client.</summary>
    public sealed record Failed(AuthFailure Failure) : HeaderCheck;
}
