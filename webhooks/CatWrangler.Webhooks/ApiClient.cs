using System.Text.RegularExpressions;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Security;

namespace CatWrangler.Webhooks;

/// <summary>An API caller: its secrets (several during rotation) and scopes.</summary>
public sealed record ApiClient(string Id, IReadOnlyList<string> Secrets, IReadOnlySet<string> Scopes)
{
    public const string DebugScope = "debug";

    public bool HasScope(string scope) => Scopes.Contains(scope);
}
