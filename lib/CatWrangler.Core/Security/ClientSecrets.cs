using CatWrangler.Core.Ports;

namespace CatWrangler.Core.Security;

/// <summary>
/// An API client's secrets: slots <c>CatWrangler:Clients:{id}:Secrets:0..7</c> in the secret store. Several are set
/// during a rotation; the API accepts any of them and callbacks are signed with all of them.
/// </summary>
public static class ClientSecrets
{
    public const int MaxSlots = 8;

    public static async Task<IReadOnlyList<string>> ReadAsync(ISecretStore secrets, string clientId, CancellationToken cancellationToken)
    {
        var found = new List<string>();
        for (var slot = 0; slot < MaxSlots; slot++)
        {
            var secret = await secrets.GetAsync($"CatWrangler:Clients:{clientId}:Secrets:{slot}", cancellationToken);
            if (!string.IsNullOrWhiteSpace(secret))
            {
                found.Add(secret.Trim());
            }
        }

        return found;
    }
}
