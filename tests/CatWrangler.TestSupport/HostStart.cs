using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit;

namespace CatWrangler.TestSupport;

/// <summary>Starts a host through its own <c>Program</c> (the composition root a Lambda runs) with extra settings.</summary>
public static class HostStart
{
    /// <summary>
    /// The error that stops the host of <typeparamref name="TAnyHostType"/> (any type of the host's assembly) from starting
    /// with <paramref name="settings"/>; fails the test when the host starts.
    /// </summary>
    public static async Task<Exception> FailureAsync<TAnyHostType>(IReadOnlyDictionary<string, string?> settings)
        where TAnyHostType : class
    {
        await using var factory = new WebApplicationFactory<TAnyHostType>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Production");
            foreach (var (key, value) in settings)
            {
                web.UseSetting(key, value);
            }
        });
        return Assert.ThrowsAny<Exception>(() => factory.CreateClient());
    }
}
