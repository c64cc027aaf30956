using CatWrangler.Core.Buffers;

namespace CatWrangler.Webhooks;

/// <summary>What <see cref="SignedBodyReader"/> made of a request body.</summary>
public abstract record BodyRead
{
    private BodyRead() { }

    /// <summary>The whole body, its signature verified. The owner disposes it.</summary>
    public sealed record Verified(PooledBody Body) : BodyRead;

    /// <summary>Longer than allowed (declared or counted).</summary>
    public sealed record TooLarge : BodyRead;

    /// <summary>The pre-authentication budget is used up; nothing was read.</summary>
    public sealed record Busy(TimeSpan RetryAfter) : BodyRead;

    /// <summary>The signature does not match the body.</summary>
    public sealed record Unauthorized(AuthFailure Failure) : BodyRead;

    /// <summary>The body is not valid HTTP framing (bad chunk, shorter than declared).</summary>
    public sealed record Malformed(string Detail) : BodyRead;

    /// <summary>The client went away mid-body; the connection is aborted and nothing is answered.</summary>
    public sealed record Aborted : BodyRead;
}
