using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using WireMock.Logging;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace CatWrangler.Bot.Tests.Support;

/// <summary>Slack's Web API, file host and response_url, played by WireMock on 127.0.0.1.</summary>
internal sealed class FakeSlack : IDisposable
{
    public const string BotToken = "xoxb-test-bot-token";

    /// <summary>Priority of the default answers; a test overrides one with a mapping at priority 1 (lower wins).</summary>
    public const int Default = 100;

    public WireMockServer Server { get; } = WireMockServer.Start();

    public FakeSlack()
    {
        Ok("chat.postMessage", """{"ok":true,"channel":"C0GENERAL","ts":"1764310099.000900","message":{"type":"message","text":"…"}}""");
        Ok("chat.postEphemeral", """{"ok":true,"message_ts":"1764310099.000901"}""");
        Ok("reactions.add", """{"ok":true}""");
        Ok("reactions.remove", """{"ok":true}""");
        Ok("files.getUploadURLExternal", $$"""{"ok":true,"upload_url":"{{BaseUrl}}{{UploadPath}}","file_id":"{{UploadedFileId}}"}""");
        Server.Given(Request.Create().WithPath(UploadPath).UsingPost()).AtPriority(Default)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "text/plain").WithBody("OK"));
        Ok("files.completeUploadExternal", $$"""{"ok":true,"files":[{"id":"{{UploadedFileId}}","title":"Where the cats are"}]}""");
        Server.Given(Request.Create().WithPath("/commands/*").UsingPost()).AtPriority(Default)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "text/html").WithBody("ok"));
    }

    /// <summary>Where files.getUploadURLExternal tells the bot to POST the bytes (Slack's is on its file upload host).</summary>
    public const string UploadPath = "/upload/v1/CwABAAAAXAoAAZ";

    public const string UploadedFileId = "F0ANNOTATED";

    public string BaseUrl => Server.Urls[0];

    public string ApiUrl => BaseUrl + "/api/";

    public string Host => new Uri(BaseUrl).Authority;

    public string ResponseUrl => BaseUrl + "/commands/T0CATS/1234567890/responseurltoken";

    public void Ok(string method, string json)
        => Server.Given(Request.Create().WithPath("/api/" + method).UsingPost()).AtPriority(Default)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json; charset=utf-8").WithBody(json));

    /// <summary>files.info for <paramref name="file"/> and its download URL serving <paramref name="content"/>.</summary>
    public void File(SlackFileSpec file, byte[] content, string contentType)
    {
        Server.Given(Request.Create().WithPath("/api/files.info").UsingPost().WithBody(new WildcardMatcher("*file=" + file.FileId + "*"))).AtPriority(Default)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json; charset=utf-8")
                .WithBody(Fixtures.FilesInfo(file, BaseUrl)));
        Server.Given(Request.Create().WithPath(file.DownloadPath).UsingGet()).AtPriority(Default)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", contentType).WithBody(content));
    }

    public IReadOnlyList<ILogEntry> Calls(string path)
        => Server.LogEntries.Where(e => e.RequestMessage!.Path == path).ToList();

    public IReadOnlyList<JsonElement> Posted(string method)
        => Calls("/api/" + method).Select(e => JsonDocument.Parse(e.RequestMessage!.Body!).RootElement).ToList();

    /// <summary>
    /// Thread replies whose HTTP answer was the success (not a rate-limited attempt): chat.postMessage bodies, and files shared
    /// with files.completeUploadExternal as <c>{"channel", "thread_ts", "text", "file"}</c> (the message that carries the file).
    /// </summary>
    public IReadOnlyList<JsonElement> Replies()
        => Server.LogEntries.Where(e => Convert.ToInt32(e.ResponseMessage!.StatusCode, System.Globalization.CultureInfo.InvariantCulture) == 200)
            .Select(e => e.RequestMessage!.Path switch
            {
                "/api/chat.postMessage" => JsonDocument.Parse(e.RequestMessage.Body!).RootElement,
                "/api/files.completeUploadExternal" => SharedFile(Form(e)),
                _ => (JsonElement?)null,
            })
            .OfType<JsonElement>().ToList();

    /// <summary>The form fields of a form-encoded call.</summary>
    public static Dictionary<string, string> Form(ILogEntry call)
        => QueryHelpers.ParseQuery(call.RequestMessage!.Body ?? "").ToDictionary(f => f.Key, f => f.Value.ToString());

    private static JsonElement SharedFile(Dictionary<string, string> form)
        => JsonSerializer.SerializeToElement(new Dictionary<string, string?>
        {
            ["channel"] = form.GetValueOrDefault("channel_id"),
            ["thread_ts"] = form.GetValueOrDefault("thread_ts"),
            ["text"] = form.GetValueOrDefault("initial_comment"),
            ["file"] = form.GetValueOrDefault("files"),
        });

    public void Dispose() => Server.Stop();
}
