using CatWrangler.Core.Security;

namespace CatWrangler.Webhooks;

/// <summary>Why a request was not authenticated: a machine code and a sentence for the caller.</summary>
public sealed record AuthFailure(string Code, string Detail);
