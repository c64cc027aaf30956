using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http;

namespace CatWrangler.Bot.Security;

/// <summary>What <see cref="SlackRequestReader"/> made of a request: its verified body, or the answer that refuses it.</summary>
internal abstract record SlackRequestRead
{
    private SlackRequestRead() { }

    public bool TryGetBody([NotNullWhen(true)] out byte[]? body, [NotNullWhen(false)] out IResult? problem)
    {
        body = (this as Verified)?.Body;
        problem = (this as Refused)?.Problem;
        return body is not null;
    }

    /// <summary>The body, Slack's signature over it verified.</summary>
    public sealed record Verified(byte[] Body) : SlackRequestRead;

    /// <summary>Too large or not signed by Slack: the problem response to send instead.</summary>
    public sealed record Refused(IResult Problem) : SlackRequestRead;
}
