using System.Text.RegularExpressions;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Security;

namespace CatWrangler.Webhooks;

/// <summary>
/// Clients from configuration (<c>CatWrangler:Clients:&lt;id&gt;:Scopes:&lt;n&gt;</c>) with their secrets read through
/// <see cref="ISecretStore"/> (<c>CatWrangler:Clients:&lt;id&gt;:Secrets:&lt;n&gt;</c>) so AWS can keep them in SSM.
/// Only ids named in configuration exist (matched exactly, ordinal; <c>Enabled=false</c> switches one off), so an unknown id
/// costs no secret-store call and leaves nothing behind. Nothing is cached here: configuration is in memory, and on AWS its
/// SSM source is the one cache (re-read every <c>CatWrangler:Aws:ParameterReloadInterval</c>).
/// </summary>
public sealed partial class ApiClientRegistry(IConfiguration configuration, ISecretStore secrets, ILogger<ApiClientRegistry> logger)
{
    public const string Section = "CatWrangler:Clients";

    /// <summary>
    /// Client ids: letters and digits, optionally joined by single underscores. The same rule validates
    /// <c>api_clients</c> in infra-terraform/, where each id becomes part of Lambda environment names
    /// (<c>CatWrangler__Clients__&lt;id&gt;__Scopes__0</c>: letters, digits and <c>_</c> only, and <c>__</c> separates keys).
    /// </summary>
    public const string IdPattern = "^[A-Za-z0-9]+(_[A-Za-z0-9]+)*$";

    public const int MaxIdLength = 64;

    /// <summary>Client ids named in configuration (for start-up logs; secrets may live elsewhere).</summary>
    public IReadOnlyList<string> ConfiguredClientIds()
        => [.. configuration.GetSection(Section).GetChildren().Select(c => c.Key).Where(IsValidId).Order(StringComparer.Ordinal)];

    /// <summary>The client, or null when the id is malformed or has no secret.</summary>
    public async ValueTask<ApiClient?> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (!IsValidId(id) || !IsConfigured(id))
        {
            return null;
        }

        return await LoadAsync(id, cancellationToken);
    }

    // The whole id must match: .NET's '$' also matches before a final newline, Terraform's (RE2) does not.
    public static bool IsValidId(string? id)
        => id is { Length: > 0 and <= MaxIdLength } && ClientIdPattern().Match(id) is { Success: true } match && match.Length == id.Length;

    /// <summary>Configuration keys ignore case; client ids do not (<c>ACME</c> is not <c>acme</c>).</summary>
    private bool IsConfigured(string id)
        => configuration.GetSection(Section).GetChildren().FirstOrDefault(c => string.Equals(c.Key, id, StringComparison.Ordinal)) is { } client
            && !string.Equals(client["Enabled"], "false", StringComparison.OrdinalIgnoreCase);

    private async Task<ApiClient?> LoadAsync(string id, CancellationToken cancellationToken)
    {
        var found = await ClientSecrets.ReadAsync(secrets, id, cancellationToken);

        var section = configuration.GetSection($"{Section}:{id}");
        if (found.Count == 0)
        {
            if (section.Exists())
            {
                Log.ClientWithoutSecrets(logger, id, $"{Section}:{id}:Secrets");
            }

            return null;
        }

        var scopes = section.GetSection("Scopes").GetChildren()
            .Select(s => s.Value?.Trim())
            .OfType<string>()
            .Where(s => s.Length > 0)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        return new ApiClient(id, found, scopes);
    }

    [GeneratedRegex(IdPattern)]
    private static partial Regex ClientIdPattern();
}
