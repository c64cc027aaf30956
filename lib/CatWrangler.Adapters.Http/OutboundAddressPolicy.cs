using System.Net;
using CatWrangler.Core.Net;

namespace CatWrangler.Adapters.Http;

/// <summary>
/// The default policy: public unicast addresses only, unless <paramref name="allowPrivateNetworks"/> (local development),
/// which admits any unicast address. Unspecified and multicast addresses are never connectable targets.
/// </summary>
public sealed class OutboundAddressPolicy(bool allowPrivateNetworks) : IOutboundAddressPolicy
{
    public bool Permits(IPEndPoint endpoint)
    {
        var address = endpoint.Address.IsIPv4MappedToIPv6 ? endpoint.Address.MapToIPv4() : endpoint.Address;
        if (!allowPrivateNetworks)
        {
            return !SpecialPurposeAddresses.Contains(address);
        }

        return !address.Equals(IPAddress.Any) && !address.Equals(IPAddress.IPv6Any) && !IsMulticast(address);
    }

    private static bool IsMulticast(IPAddress address) =>
        address.IsIPv6Multicast || (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && address.GetAddressBytes()[0] is >= 224 and < 240);
}
