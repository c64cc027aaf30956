using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using CatWrangler.Adapters.Aws.Configuration;
using CatWrangler.Core.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace CatWrangler.Aws.Tests.Contracts;

/// <summary>
/// Parameter Store as a configuration source, driven through the real SDK client against a stub of the SSM JSON protocol:
/// our requests are the SDK's, and the SDK parses the documented response shapes.
/// </summary>
public sealed class SsmParameterConfigurationTests : IDisposable
{
    private const string Prefix = "/catwrangler/prod";
    private static readonly TimeSpan Reload = TimeSpan.FromMinutes(1);
    private readonly WireMockServer _server = LoopbackWireMock.Start();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-02T08:00:00Z"));
    private readonly List<Exception> _reloadErrors = [];

    public void Dispose()
    {
        _server.Stop();
        _server.Dispose();
    }

    private IAmazonSimpleSystemsManagement Client() => new AmazonSimpleSystemsManagementClient(
        new BasicAWSCredentials("AKIDTEST", "secret"),
        new AmazonSimpleSystemsManagementConfig { ServiceURL = _server.Url, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

    private (IConfigurationRoot Configuration, SsmParameterConfigurationProvider Provider) Build(string[] paths, string[] names)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["CatWrangler:Clients:acme:Scopes:0"] = "from-environment" })
            .Add(new SsmParameterConfigurationSource(Client, new SsmParameterSettings(Prefix, paths, names, Reload), _time, _reloadErrors.Add))
            .Build();
        return (configuration, configuration.Providers.OfType<SsmParameterConfigurationProvider>().Single());
    }

    private static JsonObject Parameter(string name, string value, string type = "SecureString")
        => new() { ["Name"] = $"{Prefix}/{name}", ["Type"] = type, ["Value"] = value, ["Version"] = 1 };

    private void StubPath(string path, JsonObject[] parameters, string? requestToken = null, string? nextToken = null, int priority = 10)
    {
        var body = new JsonObject { ["Parameters"] = new JsonArray([.. parameters]) };
        if (nextToken is not null)
        {
            body["NextToken"] = nextToken;
        }

        var tokenCheck = requestToken is null ? "(?!.*\"NextToken\")" : $"(?=.*\"NextToken\":\"{requestToken}\")";
        _server
            .Given(Request.Create().UsingPost().WithHeader("X-Amz-Target", "AmazonSSM.GetParametersByPath")
                // x-amz-json bodies are not parsed as JSON by WireMock: match the text, in any property order.
                .WithBody(new RegexMatcher($$"""^(?=.*"Path":"{{Prefix}}/{{path}}")(?=.*"Recursive":true)(?=.*"WithDecryption":true){{tokenCheck}}.*$""")))
            .AtPriority(priority)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/x-amz-json-1.1").WithBody(body.ToJsonString()));
    }

    private Task NextReloadAsync(SsmParameterConfigurationProvider provider)
    {
        var reloaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnReloaded()
        {
            provider.Reloaded -= OnReloaded;
            reloaded.TrySetResult();
        }

        provider.Reloaded += OnReloaded;
        _time.Advance(Reload);
        return reloaded.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
    }

    [Fact]
    public void Every_page_of_every_path_and_the_single_names_become_configuration_keys_with_ssm_winning()
    {
        StubPath("CatWrangler/Clients", [Parameter("CatWrangler/Clients/acme/Enabled", "true", "String"), Parameter("CatWrangler/Clients/acme/Scopes/0", "debug", "String")], nextToken: "page2");
        StubPath("CatWrangler/Clients", [Parameter("CatWrangler/Clients/acme/Secrets/0", "whsec_one")], requestToken: "page2", priority: 5);
        _server
            .Given(Request.Create().UsingPost().WithHeader("X-Amz-Target", "AmazonSSM.GetParameters")
                .WithBody(new RegexMatcher($$"""^(?=.*"Names":\["{{Prefix}}/CatWrangler/Slack/BotToken"\])(?=.*"WithDecryption":true).*$""")))
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/x-amz-json-1.1").WithBody(
                new JsonObject { ["Parameters"] = new JsonArray(Parameter("CatWrangler/Slack/BotToken", "xoxb-1")), ["InvalidParameters"] = new JsonArray() }.ToJsonString()));

        var (configuration, _) = Build(["CatWrangler/Clients"], ["CatWrangler/Slack/BotToken"]);

        Assert.Equal("true", configuration["CatWrangler:Clients:acme:Enabled"]);
        Assert.Equal("debug", configuration["CatWrangler:Clients:acme:Scopes:0"]);
        Assert.Equal("whsec_one", configuration["CatWrangler:Clients:acme:Secrets:0"]);
        Assert.Equal("xoxb-1", configuration["CatWrangler:Slack:BotToken"]);
        Assert.Equal(3, _server.LogEntries.Count());
    }

    [Fact]
    public async Task A_rotated_secret_is_read_at_the_next_reload_and_readers_see_it_without_a_restart()
    {
        StubPath("CatWrangler/Clients", [Parameter("CatWrangler/Clients/acme/Secrets/0", "whsec_old")]);
        var (configuration, provider) = Build(["CatWrangler/Clients"], []);
        var secrets = new ConfigurationSecretStore(configuration);
        var changed = false;
        using var subscription = Microsoft.Extensions.Primitives.ChangeToken.OnChange(configuration.GetReloadToken, () => changed = true);
        Assert.Equal("whsec_old", await secrets.GetAsync("CatWrangler:Clients:acme:Secrets:0", TestContext.Current.CancellationToken));

        StubPath("CatWrangler/Clients", [Parameter("CatWrangler/Clients/acme/Secrets/0", "whsec_old"), Parameter("CatWrangler/Clients/acme/Secrets/1", "whsec_new")], priority: 1);
        await NextReloadAsync(provider);

        Assert.Equal("whsec_new", await secrets.GetAsync("CatWrangler:Clients:acme:Secrets:1", TestContext.Current.CancellationToken));
        Assert.True(changed);
        Assert.Empty(_reloadErrors);
    }

    [Fact]
    public async Task A_failed_reload_keeps_the_values_it_had_and_reports_the_error()
    {
        StubPath("CatWrangler/Slack", [Parameter("CatWrangler/Slack/SigningSecret", "signing")]);
        var (configuration, provider) = Build(["CatWrangler/Slack"], []);

        _server
            .Given(Request.Create().UsingPost().WithHeader("X-Amz-Target", "AmazonSSM.GetParametersByPath"))
            .AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(400).WithHeader("Content-Type", "application/x-amz-json-1.1")
                .WithBody("""{"__type":"ThrottlingException","message":"Rate exceeded"}"""));
        await NextReloadAsync(provider);

        Assert.Equal("signing", configuration["CatWrangler:Slack:SigningSecret"]);
        Assert.IsAssignableFrom<AmazonServiceException>(Assert.Single(_reloadErrors));
    }

    [Fact]
    public void A_host_that_cannot_read_its_parameters_at_start_fails_to_start_with_the_sdk_error()
    {
        _server
            .Given(Request.Create().UsingPost().WithHeader("X-Amz-Target", "AmazonSSM.GetParametersByPath"))
            .RespondWith(Response.Create().WithStatusCode(400).WithHeader("Content-Type", "application/x-amz-json-1.1")
                .WithBody("""{"__type":"AccessDeniedException","message":"not authorized to perform: ssm:GetParametersByPath"}"""));

        var error = Assert.ThrowsAny<AmazonServiceException>(() => Build(["CatWrangler/Clients"], []));
        Assert.Contains("ssm:GetParametersByPath", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/catwrangler/prod", "/catwrangler/prod/CatWrangler/Clients/acme/Secrets/0", "CatWrangler:Clients:acme:Secrets:0")]
    [InlineData("/catwrangler/prod/", "/catwrangler/prod/CatWrangler/Slack/BotToken", "CatWrangler:Slack:BotToken")]
    [InlineData("/catwrangler/prod", "/catwrangler/production/CatWrangler/Slack/BotToken", null)]
    [InlineData("/catwrangler/prod", "/catwrangler/prod/", null)]
    public void Parameter_names_map_to_configuration_keys_under_the_prefix_only(string prefix, string name, string? key)
        => Assert.Equal(key, new SsmParameterSettings(prefix, [], [], Reload).KeyOf(name));
}
