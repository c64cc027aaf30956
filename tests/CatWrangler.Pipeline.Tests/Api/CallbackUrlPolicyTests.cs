using CatWrangler.Core.Pipeline;

namespace CatWrangler.Pipeline.Tests.Api;

public sealed class CallbackUrlPolicyTests
{
    [Theory]
    [InlineData("https://hooks.example.com/x", true)]
    [InlineData("https://93.184.216.34/x", true)]
    [InlineData("https://[2606:4700::1111]/x", true)]
    [InlineData("http://hooks.example.com/x", false)]
    [InlineData("ftp://hooks.example.com/x", false)]
    [InlineData("https://user:pw@hooks.example.com/x", false)]
    [InlineData("https://localhost:8443/x", false)]
    [InlineData("https://127.0.0.2/x", false)]
    [InlineData("https://192.168.1.10/x", false)]
    [InlineData("https://172.20.0.1/x", false)]
    [InlineData("https://169.254.169.254/latest/meta-data", false)]
    [InlineData("https://100.64.0.1/x", false)]
    [InlineData("https://[::1]/x", false)]
    [InlineData("https://[fd00::1]/x", false)]
    [InlineData("https://[fe80::1]/x", false)]
    [InlineData("https://[::ffff:10.0.0.1]/x", false)]
    [InlineData("https://192.0.2.1/x", false)]
    [InlineData("https://198.18.0.1/x", false)]
    [InlineData("https://203.0.113.5/x", false)]
    [InlineData("https://[::127.0.0.1]/x", false)]
    [InlineData("https://[64:ff9b::7f00:1]/x", false)]
    [InlineData("/relative", false)]
    public void Only_https_to_public_hosts_by_default(string url, bool accepted)
        => Assert.Equal(accepted, new CallbackUrlPolicy(new CallbackOptions()).Validate(url) is null);

    [Theory]
    [InlineData("http://127.0.0.1:9000/hook", true)]
    [InlineData("https://localhost/x", true)]
    [InlineData("ftp://127.0.0.1/x", false)]
    public void Private_networks_and_http_when_allowed(string url, bool accepted)
        => Assert.Equal(accepted, new CallbackUrlPolicy(new CallbackOptions { AllowPrivateNetworks = true }).Validate(url) is null);
}
