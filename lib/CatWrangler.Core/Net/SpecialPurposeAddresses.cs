using System.Net;

namespace CatWrangler.Core.Net;

/// <summary>
/// The IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890 and updates), plus multicast and everything outside
/// IPv6 global unicast (2000::/3). An address an outside caller names must be none of these. Forms that carry an IPv4
/// address (IPv4-mapped, NAT64 well-known prefix) are judged by the embedded address; the other embedding forms (IPv4-compatible,
/// 6to4, Teredo, local-use NAT64) are refused outright, because the address they finally reach cannot be known here.
/// A pure table: the accept path checks literal addresses in a URL with it, the outbound guard every resolved address.
/// </summary>
public static class SpecialPurposeAddresses
{
    private static readonly IPNetwork[] IPv4 =
    [
        IPNetwork.Parse("0.0.0.0/8"), // this network
        IPNetwork.Parse("10.0.0.0/8"), // private
        IPNetwork.Parse("100.64.0.0/10"), // shared address space (CGNAT)
        IPNetwork.Parse("127.0.0.0/8"), // loopback
        IPNetwork.Parse("169.254.0.0/16"), // link-local
        IPNetwork.Parse("172.16.0.0/12"), // private
        IPNetwork.Parse("192.0.0.0/24"), // IETF protocol assignments (DS-Lite, NAT64 discovery, PCP/TURN anycast)
        IPNetwork.Parse("192.0.2.0/24"), // documentation TEST-NET-1
        IPNetwork.Parse("192.31.196.0/24"), // AS112-v4
        IPNetwork.Parse("192.52.193.0/24"), // AMT
        IPNetwork.Parse("192.88.99.0/24"), // deprecated 6to4 relay anycast
        IPNetwork.Parse("192.168.0.0/16"), // private
        IPNetwork.Parse("192.175.48.0/24"), // direct delegation AS112
        IPNetwork.Parse("198.18.0.0/15"), // benchmarking
        IPNetwork.Parse("198.51.100.0/24"), // documentation TEST-NET-2
        IPNetwork.Parse("203.0.113.0/24"), // documentation TEST-NET-3
        IPNetwork.Parse("224.0.0.0/4"), // multicast
        IPNetwork.Parse("240.0.0.0/4"), // reserved, including limited broadcast 255.255.255.255
    ];

    private static readonly IPNetwork IPv6GlobalUnicast = IPNetwork.Parse("2000::/3");

    private static readonly IPNetwork Nat64WellKnown = IPNetwork.Parse("64:ff9b::/96");

    /// <summary>Special-purpose blocks inside 2000::/3; everything outside it (::/8, fc00::/7, fe80::/10, ff00::/8…) is refused anyway.</summary>
    private static readonly IPNetwork[] IPv6InsideGlobal =
    [
        IPNetwork.Parse("2001::/23"), // IETF protocol assignments: Teredo 2001::/32, benchmarking 2001:2::/48, ORCHID…
        IPNetwork.Parse("2001:db8::/32"), // documentation
        IPNetwork.Parse("2002::/16"), // 6to4
        IPNetwork.Parse("2620:4f:8000::/48"), // direct delegation AS112
        IPNetwork.Parse("3fff::/20"), // documentation (RFC 9637)
    ];

    /// <summary>True when <paramref name="address"/> is in a special-purpose block (loopback, private, link-local, documentation, …).</summary>
    public static bool Contains(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return Contains(address.MapToIPv4());
        }

        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
        {
            return Array.Exists(IPv4, network => network.Contains(address));
        }

        if (Nat64WellKnown.Contains(address))
        {
            var bytes = address.GetAddressBytes();
            return Contains(new IPAddress(bytes.AsSpan(12, 4)));
        }

        return !IPv6GlobalUnicast.Contains(address) || Array.Exists(IPv6InsideGlobal, network => network.Contains(address));
    }
}
