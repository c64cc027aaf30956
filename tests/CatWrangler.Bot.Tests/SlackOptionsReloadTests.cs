using CatWrangler.Core.Ports;
using CatWrangler.Slack;
using CatWrangler.Slack.Commands;
using CatWrangler.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CatWrangler.Bot.Tests;

/// <summary>Slack settings as the bot binds them: defaults, and the power users following a configuration reload (SSM on AWS).</summary>
public sealed class SlackOptionsReloadTests : IDisposable
{
    private const string Refused = "Sorry, debug details are only for CatWrangler power users.";

    private readonly LocalPorts ports = new("catwrangler-slack-options-");

    public void Dispose() => ports.Dispose();

    [Fact]
    public async Task A_power_user_added_by_a_configuration_reload_may_debug_without_a_restart()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection().Build();
        await using var provider = Services(configuration);
        var command = new SlashCommand("T1", "C1", "U0NEW", "debug not-a-scan-id", null);

        var before = await provider.GetRequiredService<CatscanCommand>().RunAsync(command, TestContext.Current.CancellationToken);
        configuration["CatWrangler:Slack:PowerUsers:0"] = "U0NEW";
        configuration.Reload();
        var after = await provider.GetRequiredService<CatscanCommand>().RunAsync(command, TestContext.Current.CancellationToken);

        Assert.StartsWith(Refused, before.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(Refused, after.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task File_hosts_fall_back_to_slacks_own_and_the_api_base_ends_with_a_slash()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CatWrangler:Slack:ApiBaseUrl"] = "http://127.0.0.1:9/api",
        }).Build();
        await using var provider = Services(configuration);

        var options = provider.GetRequiredService<SlackOptions>();

        Assert.Equal(new[] { SlackOptions.DefaultFileHost }, options.FileHosts);
        Assert.Equal("http://127.0.0.1:9/api/", options.ApiBaseUrl.AbsoluteUri);
    }

    [Fact]
    public async Task Configured_file_hosts_replace_slacks_own()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CatWrangler:Slack:FileHosts:0"] = "127.0.0.1:8080",
        }).Build();
        await using var provider = Services(configuration);

        Assert.Equal(new[] { "127.0.0.1:8080" }, provider.GetRequiredService<SlackOptions>().FileHosts);
    }

    private ServiceProvider Services(IConfiguration configuration)
        => new ServiceCollection()
            .AddLogging()
            .AddSingleton<IScanStore>(ports.Store)
            .AddSlackClient(configuration)
            .BuildServiceProvider();
}
