using System.Text.RegularExpressions;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using CatWrangler.Adapters.Aws;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace CatWrangler.Aws.Tests.Contracts;

public sealed class SsmSecretStoreTests : IDisposable
{
    private const string BotTokenKey = "CatWrangler:Slack:BotToken";
    private const string BotTokenParameter = "/catwrangler/CatWrangler/Slack/BotToken";
    private readonly WireMockServer _server = LoopbackWireMock.Start();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-28T08:00:00Z"));
    private readonly AmazonSimpleSystemsManagementClient _ssm;

    public SsmSecretStoreTests()
    {
        // The real SDK client against the stub: proves our request shape and the SDK's error mapping together.
        _ssm = new AmazonSimpleSystemsManagementClient(
            new BasicAWSCredentials("AKIDTEST", "secret"),
            new AmazonSimpleSystemsManagementConfig { ServiceURL = _server.Url, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
    }

    public void Dispose()
    {
        _ssm.Dispose();
        _server.Stop();
        _server.Dispose();
    }

    private SsmSecretStore Store(IDictionary<string, string?>? settings = null)
        => new(_ssm, new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build(), new AwsOptions(), _time);

    private void StubParameter(string name, string value)
        => _server
            .Given(Request.Create().UsingPost().WithHeader("X-Amz-Target", "AmazonSSM.GetParameter")
                // x-amz-json bodies are not parsed as JSON by WireMock: match the text, in any property order.
                .WithBody(new RegexMatcher($$"""^(?=.*"Name":"{{Regex.Escape(name)}}")(?=.*"WithDecryption":true).*$""")))
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/x-amz-json-1.1")
                .WithBody($$$"""{"Parameter":{"Name":"{{{name}}}","Type":"SecureString","Value":"{{{value}}}","Version":3}}"""));

    private void StubNotFound()
        => _server
            .Given(Request.Create().UsingPost().WithHeader("X-Amz-Target", "AmazonSSM.GetParameter"))
            .AtPriority(100)
            .RespondWith(Response.Create().WithStatusCode(400).WithHeader("Content-Type", "application/x-amz-json-1.1")
                .WithBody("""{"__type":"ParameterNotFound","message":"Parameter not found."}"""));

    [Fact]
    public async Task Reads_a_decrypted_secure_string_by_its_mapped_name_and_caches_it()
    {
        StubParameter(BotTokenParameter, "xoxb-secret");
        var store = Store();

        Assert.Equal("xoxb-secret", await store.GetAsync(BotTokenKey, TestContext.Current.CancellationToken));
        Assert.Equal("xoxb-secret", await store.GetAsync(BotTokenKey, TestContext.Current.CancellationToken));

        Assert.Single(_server.LogEntries);
    }

    [Fact]
    public async Task The_cache_expires_after_its_duration()
    {
        StubParameter(BotTokenParameter, "xoxb-secret");
        var store = Store();

        await store.GetAsync(BotTokenKey, TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromMinutes(4));
        await store.GetAsync(BotTokenKey, TestContext.Current.CancellationToken);
        Assert.Single(_server.LogEntries);

        _time.Advance(TimeSpan.FromMinutes(2));
        await store.GetAsync(BotTokenKey, TestContext.Current.CancellationToken);
        Assert.Equal(2, _server.LogEntries.Count());
    }

    [Fact]
    public async Task A_missing_parameter_is_null_and_the_absence_is_cached_too()
    {
        StubNotFound();
        var store = Store();

        Assert.Null(await store.GetAsync("CatWrangler:Clients:acme:Secrets:7", TestContext.Current.CancellationToken));
        Assert.Null(await store.GetAsync("CatWrangler:Clients:acme:Secrets:7", TestContext.Current.CancellationToken));
        Assert.Single(_server.LogEntries);
    }

    [Fact]
    public async Task Other_ssm_errors_surface()
    {
        _server
            .Given(Request.Create().UsingPost().WithHeader("X-Amz-Target", "AmazonSSM.GetParameter"))
            .RespondWith(Response.Create().WithStatusCode(400).WithHeader("Content-Type", "application/x-amz-json-1.1")
                .WithBody("""{"__type":"AccessDeniedException","message":"not allowed"}"""));

        await Assert.ThrowsAnyAsync<AmazonServiceException>(async () => await Store().GetAsync(BotTokenKey, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_value_in_configuration_wins_without_calling_ssm()
    {
        StubParameter(BotTokenParameter, "from-ssm");
        var store = Store(new Dictionary<string, string?> { [BotTokenKey] = "from-config" });

        Assert.Equal("from-config", await store.GetAsync(BotTokenKey, TestContext.Current.CancellationToken));
        Assert.Empty(_server.LogEntries);
    }

    [Theory]
    [InlineData("/catwrangler", "CatWrangler:Clients:acme:Secrets:0", "/catwrangler/CatWrangler/Clients/acme/Secrets/0")]
    [InlineData("/prod/catwrangler/", "CatWrangler:Slack:SigningSecret", "/prod/catwrangler/CatWrangler/Slack/SigningSecret")]
    public void Keys_map_to_parameter_paths(string prefix, string key, string name)
        => Assert.Equal(name, SsmSecretStore.ParameterName(prefix, key));
}
