using System.Net;
using System.Text.Json;
using CatWrangler.Bot.Security;
using CatWrangler.Bot.Tests.Support;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace CatWrangler.Bot.Tests;

/// <summary>The bot host as its own composition root builds it (the bot Lambda), in production mode.</summary>
public sealed class BotProgramTests : IDisposable
{
    private readonly string dataPath = Directory.CreateTempSubdirectory("catwrangler-bot-program-").FullName;
    private readonly FakeSlack slack = new();

    public void Dispose()
    {
        slack.Dispose();
        try
        {
            Directory.Delete(dataPath, recursive: true);
        }
        catch (IOException)
        {
            // A SQLite file may still be closing; the temp folder is not worth failing a test over.
        }
    }

    [Fact]
    public async Task An_unhandled_error_is_answered_with_problem_json_not_a_bare_500()
    {
        // Any type of the bot assembly names it; the factory runs that assembly's entry point.
        await using var factory = new WebApplicationFactory<SlackRequestVerifier>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Production");
            web.UseSetting("CatWrangler:DataPath", dataPath);
            foreach (var (key, value) in BotHost.SlackConfiguration(slack))
            {
                web.UseSetting(key, value);
            }

            web.ConfigureTestServices(services => services.AddSingleton<IScanStore, BrokenStore>());
        });
        using var client = factory.CreateClient();

        var response = await client.SendAsync(
            SlackSigning.Event(Fixtures.FileShare(new SlackFileSpec("F0BROKEN", "kitty.jpg", "image/jpeg", 1000), "Ev0BROKEN", slack.BaseUrl)),
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        Assert.Equal(500, problem.GetProperty("status").GetInt32());
        Assert.DoesNotContain("disk on fire", problem.GetRawText());
    }

    [Fact]
    public async Task Readiness_answers_503_while_the_store_is_unreachable()
    {
        await using var factory = new WebApplicationFactory<SlackRequestVerifier>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Production");
            web.UseSetting("CatWrangler:DataPath", dataPath);
            web.ConfigureTestServices(services => services.AddSingleton<IScanStore, BrokenStore>());
        });
        using var client = factory.CreateClient();

        var ready = await client.GetAsync("/readyz", TestContext.Current.CancellationToken);
        var live = await client.GetAsync("/healthz", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    /// <summary>A store whose every call fails, standing in for an unreachable database.</summary>
    private sealed class BrokenStore : IScanStore
    {
        private static InvalidOperationException Broken() => new("disk on fire");

        public Task<bool> TryCreateAsync(Scan scan, CancellationToken cancellationToken) => throw Broken();

        public Task<Scan?> GetAsync(string id, CancellationToken cancellationToken) => throw Broken();

        public Task SaveAsync(Scan scan, CancellationToken cancellationToken) => throw Broken();

        public Task<IReadOnlyList<Scan>> ListRecentAsync(ScanListQuery query, CancellationToken cancellationToken) => throw Broken();

        public Task<IdempotencyClaim> ClaimAsync(string scope, string key, string fingerprint, string scanId, DateTimeOffset expiresAt, CancellationToken cancellationToken)
            => throw Broken();
    }
}
