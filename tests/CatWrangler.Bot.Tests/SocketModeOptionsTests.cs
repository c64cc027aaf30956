using CatWrangler.Bot.SocketMode;
using Microsoft.Extensions.Configuration;

namespace CatWrangler.Bot.Tests;

public sealed class SocketModeOptionsTests
{
    [Theory]
    [InlineData("ReconnectDelay", "00:00:00")]
    [InlineData("MaxReconnectDelay", "00:00:00.100")]
    [InlineData("KeepAliveInterval", "00:00:00")]
    [InlineData("MaxMessageBytes", "100")]
    [InlineData("MaxConcurrentEnvelopes", "0")]
    public void Settings_that_would_spin_or_never_connect_are_refused_naming_the_key(string key, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [$"{SocketModeOptions.Section}:{key}"] = value }).Build();

        var error = Assert.Throws<InvalidOperationException>(() => SocketModeOptions.From(configuration));
        Assert.Contains($"CatWrangler:Slack:SocketMode:{key}", error.Message);
    }

    [Fact]
    public void Unset_settings_are_the_defaults()
        => Assert.Equal(new SocketModeOptions(), SocketModeOptions.From(new ConfigurationBuilder().Build()));
}
