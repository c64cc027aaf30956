using System.Net;
using CatWrangler.Core.Net;
using CatWrangler.Adapters.Http;

namespace CatWrangler.Http.Tests;

/// <summary>The IANA special-purpose registries (IPv4 and IPv6) against the guard, one row per block.</summary>
public sealed class SpecialPurposeAddressesTests
{
    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("10.1.2.3")]
    [InlineData("100.64.0.1")]
    [InlineData("127.0.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("172.16.0.1")]
    [InlineData("192.0.0.8")]
    [InlineData("192.0.0.170")]
    [InlineData("192.0.2.1")]
    [InlineData("192.31.196.1")]
    [InlineData("192.52.193.1")]
    [InlineData("192.88.99.1")]
    [InlineData("192.168.1.1")]
    [InlineData("192.175.48.1")]
    [InlineData("198.18.0.1")]
    [InlineData("198.19.255.254")]
    [InlineData("198.51.100.7")]
    [InlineData("203.0.113.9")]
    [InlineData("224.0.0.1")]
    [InlineData("240.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::127.0.0.1")]
    [InlineData("::8.8.8.8")]
    [InlineData("64:ff9b::127.0.0.1")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    [InlineData("64:ff9b:1::8.8.8.8")]
    [InlineData("100::1")]
    [InlineData("2001::1")]
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2")]
    [InlineData("2001:2::1")]
    [InlineData("2001:db8::1")]
    [InlineData("2002:7f00:1::1")]
    [InlineData("2002:808:808::1")]
    [InlineData("2620:4f:8000::1")]
    [InlineData("3fff::1")]
    [InlineData("5f00::1")]
    [InlineData("fc00::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("fe80::1")]
    [InlineData("fec0::1")]
    [InlineData("ff02::1")]
    public void Special_purpose_addresses_are_refused(string address)
    {
        Assert.True(SpecialPurposeAddresses.Contains(IPAddress.Parse(address)));
        Assert.False(new OutboundAddressPolicy(allowPrivateNetworks: false).Permits(new IPEndPoint(IPAddress.Parse(address), 443)));
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("192.0.3.1")]
    [InlineData("198.20.0.1")]
    [InlineData("203.0.114.1")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::8.8.8.8")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("2a00:1450:4001:80b::200e")]
    public void Public_unicast_addresses_are_permitted(string address)
    {
        Assert.False(SpecialPurposeAddresses.Contains(IPAddress.Parse(address)));
        Assert.True(new OutboundAddressPolicy(allowPrivateNetworks: false).Permits(new IPEndPoint(IPAddress.Parse(address), 443)));
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("10.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("0.0.0.0", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("ff02::1", false)]
    public void Private_networks_when_allowed_admit_unicast_only(string address, bool permitted)
    {
        Assert.Equal(permitted, new OutboundAddressPolicy(allowPrivateNetworks: true).Permits(new IPEndPoint(IPAddress.Parse(address), 80)));
    }
}
