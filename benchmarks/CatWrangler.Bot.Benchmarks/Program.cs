using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using CatWrangler.Bot;
using CatWrangler.Bot.Security;
using CatWrangler.Platform;
using CatWrangler.ServiceDefaults;
using CatWrangler.Slack;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// Measures what Slack waits for: signed message/file_share event in → 200 out, on the embedded default
// (SQLite scan store + SQLite queue in a temporary data folder). Nothing consumes the queue, so only the ack path is timed.
// Usage: dotnet run -c Release --project benchmarks/CatWrangler.Bot.Benchmarks -- [requests=2000] [concurrency=1,4]
var requests = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2000;
var concurrencies = (args.Length > 1 ? args[1] : "1,4").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray();
const string secret = "benchmark-signing-secret";
var dataPath = Path.Combine(Path.GetTempPath(), "catwrangler-ack-bench-" + Guid.NewGuid().ToString("N"));

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
builder.WebHost.UseUrls("http://127.0.0.1:0");
builder.Logging.ClearProviders();
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["CatWrangler:Platform"] = "local",
    ["CatWrangler:DataPath"] = dataPath,
    [SlackOptions.SigningSecretKey] = secret,
    [SlackOptions.BotTokenKey] = "xoxb-unused",
});
builder.AddCatWranglerDefaults();
builder.Services.AddCatWranglerPlatform(builder.Configuration);
builder.Services.AddSlackBot(builder.Configuration);
await using var app = builder.Build();
app.MapCatWranglerDefaults();
app.MapSlackBot();
await app.StartAsync();
var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
using var http = new HttpClient { BaseAddress = new Uri(address) };

var sequence = 0;
async Task<double> SendOneAsync()
{
    var n = Interlocked.Increment(ref sequence);
    var body = Encoding.UTF8.GetBytes(Template
        .Replace("#N8", n.ToString("D8", CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("#N6", n.ToString("D6", CultureInfo.InvariantCulture), StringComparison.Ordinal));
    var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
    using var request = new HttpRequestMessage(HttpMethod.Post, "/slack/events") { Content = new ByteArrayContent(body) };
    request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
    request.Headers.Add(SlackRequestVerifier.TimestampHeader, ts);
    request.Headers.Add(SlackRequestVerifier.SignatureHeader, Encoding.ASCII.GetString(SlackRequestVerifier.Sign(secret, ts, body)));
    var started = Stopwatch.GetTimestamp();
    using var response = await http.SendAsync(request);
    var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    if (!response.IsSuccessStatusCode)
    {
        throw new InvalidOperationException($"/slack/events answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    return elapsed;
}

for (var i = 0; i < 200; i++)
{
    await SendOneAsync();
}

Console.WriteLine($"POST /slack/events (signed message/file_share, SQLite WAL in {dataPath}), {requests} requests per run after 200 warm-up");
Console.WriteLine($"{Environment.ProcessorCount} logical cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
Console.WriteLine("| concurrency | p50 ms | p90 ms | p99 ms | max ms | requests/s |");
Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
foreach (var concurrency in concurrencies)
{
    var latencies = new List<double>(requests);
    var gate = new object();
    var wall = Stopwatch.StartNew();
    var perWorker = requests / concurrency;
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
    {
        for (var i = 0; i < perWorker; i++)
        {
            var ms = await SendOneAsync();
            lock (gate)
            {
                latencies.Add(ms);
            }
        }
    }));
    wall.Stop();
    latencies.Sort();
    double P(double q) => latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(q * latencies.Count) - 1)];
    Console.WriteLine(FormattableString.Invariant(
        $"| {concurrency} | {P(0.50):0.0} | {P(0.90):0.0} | {P(0.99):0.0} | {latencies[^1]:0.0} | {latencies.Count / wall.Elapsed.TotalSeconds:0} |"));
}

await app.StopAsync();
try
{
    Directory.Delete(dataPath, recursive: true);
}
catch (IOException)
{
    // SQLite may still hold the WAL file for a moment; the temp folder is cleaned by the OS eventually.
}

internal static partial class Program
{
    /// <summary>A message/file_share event as Slack sends it; #N8/#N6 make every event and file unique.</summary>
    private const string Template =
        """
        {"token":"x","team_id":"T0BENCH","api_app_id":"A0","type":"event_callback","event_id":"Ev#N8","event_time":1764310000,"authorizations":[{"team_id":"T0BENCH","user_id":"U0BOT","is_bot":true}],"event":{"type":"message","subtype":"file_share","user":"U0ALICE","channel":"C0BENCH","channel_type":"channel","ts":"1764310000.#N6","text":"cat?","files":[{"id":"F#N8","name":"cat.jpg","mimetype":"image/jpeg","size":123456,"url_private_download":"https://files.slack.com/files-pri/T0BENCH-F#N8/download/cat.jpg"}]}}
        """;
}
