using System.Net;
using System.Text.Json;
using CatWrangler.Processor;
using CatWrangler.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace CatWrangler.Bot.Tests;

/// <summary>The processor host as its own composition root builds it (the processor Lambda), in production mode.</summary>
public sealed class ProcessorProgramTests(ModelFixture model) : IDisposable
{
    private readonly string dataPath = Directory.CreateTempSubdirectory("catwrangler-processor-program-").FullName;

    public void Dispose()
    {
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
        await using var factory = Processor(services => services.AddSingleton<IStartupFilter, ThrowingFallback>());
        using var client = factory.CreateClient();

        var response = await client.GetAsync("/no-such-endpoint", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        Assert.Equal(500, problem.GetProperty("status").GetInt32());
        Assert.DoesNotContain("disk on fire", problem.GetRawText());
    }

    [Fact]
    public async Task Readiness_reports_the_model_loaded_and_the_store_reachable()
    {
        await using var factory = Processor(_ => { });
        using var client = factory.CreateClient();

        var response = await client.GetAsync("/readyz", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_missing_model_stops_the_host_at_start_naming_the_setting()
    {
        var empty = Directory.CreateDirectory(Path.Combine(dataPath, "no-models")).FullName;
        await using var factory = Processor(_ => { }, modelDirectory: empty);

        var error = Assert.ThrowsAny<InvalidOperationException>(() => factory.CreateClient());

        Assert.Contains("CatWrangler:Detector:ModelDirectory", error.Message, StringComparison.Ordinal);
        Assert.Contains(empty, error.Message, StringComparison.Ordinal);
    }

    private WebApplicationFactory<CallbackDispatcher> Processor(Action<IServiceCollection> configureServices, string? modelDirectory = null)
        => new WebApplicationFactory<CallbackDispatcher>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Production");
            web.UseSetting("CatWrangler:DataPath", dataPath);
            web.UseSetting("CatWrangler:Detector:ModelDirectory", modelDirectory ?? Path.GetDirectoryName(model.ModelPath));
            web.ConfigureTestServices(configureServices);
        });

    /// <summary>
    /// Ends the pipeline behind the host's own middleware with a throw, so any request that reaches no endpoint fails the way
    /// an endpoint's unexpected exception would, through whatever error handling the host set up.
    /// </summary>
    private sealed class ThrowingFallback : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Run(_ => throw new InvalidOperationException("disk on fire"));
        };
    }
}
