using System.Globalization;
using System.Text.Json;
using WireMock.Logging;

namespace CatWrangler.Bot.Tests.Support;

/// <summary>
/// Slack's documented external-upload contract (the files.getUploadURLExternal and files.completeUploadExternal method
/// pages), checked against what the fake Slack received: form-encoded calls with the bot token; <c>filename</c> and an
/// integer <c>length</c>; <c>alt_txt</c> at most 1000 characters; the bytes POSTed to the returned <c>upload_url</c>
/// without the token, exactly <c>length</c> of them; then <c>files</c> as a JSON array of <c>{"id", "title"}</c> naming the
/// returned <c>file_id</c>, with <c>channel_id</c> wherever <c>thread_ts</c> is given.
/// </summary>
internal static class SlackUploadContract
{
    public const int MaxAltText = 1000;

    /// <returns>Every violation, in words; empty when the calls follow the contract.</returns>
    public static IReadOnlyList<string> Violations(FakeSlack slack)
    {
        var errors = new List<string>();
        var calls = slack.Server.LogEntries.OrderBy(e => e.RequestMessage!.DateTime).ToList();
        var gets = calls.Where(c => c.RequestMessage!.Path == "/api/files.getUploadURLExternal").ToList();
        var uploads = calls.Where(c => c.RequestMessage!.Path == FakeSlack.UploadPath).ToList();
        var completes = calls.Where(c => c.RequestMessage!.Path == "/api/files.completeUploadExternal").ToList();
        if (gets.Count == 0)
        {
            return ["files.getUploadURLExternal was never called"];
        }

        foreach (var call in gets.Concat(completes))
        {
            CheckApiCall(call, errors);
        }

        var get = gets[^1];
        var form = FakeSlack.Form(get);
        if (!form.TryGetValue("filename", out var name) || name.Length == 0)
        {
            errors.Add("getUploadURLExternal: filename is required");
        }

        if (!form.TryGetValue("length", out var lengthText) || !long.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length <= 0)
        {
            errors.Add($"getUploadURLExternal: length must be a positive integer, got '{lengthText}'");
            length = -1;
        }

        if (form.TryGetValue("alt_txt", out var alt) && alt.Length > MaxAltText)
        {
            errors.Add($"getUploadURLExternal: alt_txt over {MaxAltText} characters");
        }

        var upload = uploads.LastOrDefault(u => u.RequestMessage!.DateTime >= get.RequestMessage!.DateTime);
        if (upload is null)
        {
            errors.Add("no POST to the upload_url after getUploadURLExternal");
        }
        else
        {
            if (upload.RequestMessage!.Method != "POST")
            {
                errors.Add($"the upload must be a POST, was {upload.RequestMessage.Method}");
            }

            var bytes = upload.RequestMessage.BodyAsBytes?.Length ?? 0;
            if (bytes != length)
            {
                errors.Add($"the upload carried {bytes} bytes, getUploadURLExternal announced {length}");
            }

            if (upload.RequestMessage.Headers?.ContainsKey("Authorization") == true)
            {
                errors.Add("the bot token was sent to the upload URL");
            }
        }

        var complete = completes.LastOrDefault();
        if (complete is null)
        {
            errors.Add("files.completeUploadExternal was never called");
            return errors;
        }

        if (upload is not null && complete.RequestMessage!.DateTime < upload.RequestMessage!.DateTime)
        {
            errors.Add("completeUploadExternal came before the upload");
        }

        var fields = FakeSlack.Form(complete);
        try
        {
            using var files = JsonDocument.Parse(fields.GetValueOrDefault("files") ?? "");
            if (files.RootElement.ValueKind != JsonValueKind.Array
                || !files.RootElement.EnumerateArray().Any(f => f.ValueKind == JsonValueKind.Object && f.TryGetProperty("id", out var id) && id.GetString() == FakeSlack.UploadedFileId))
            {
                errors.Add($"completeUploadExternal: files must be a JSON array of objects naming {FakeSlack.UploadedFileId}, got {fields.GetValueOrDefault("files")}");
            }
        }
        catch (JsonException)
        {
            errors.Add($"completeUploadExternal: files is not JSON: {fields.GetValueOrDefault("files")}");
        }

        if (fields.ContainsKey("thread_ts") && !fields.ContainsKey("channel_id"))
        {
            errors.Add("completeUploadExternal: thread_ts needs channel_id");
        }

        return errors;
    }

    private static void CheckApiCall(ILogEntry call, List<string> errors)
    {
        var request = call.RequestMessage!;
        var path = request.Path;
        if (request.Method != "POST")
        {
            errors.Add($"{path}: must be a POST");
        }

        if (request.Headers?.TryGetValue("Content-Type", out var type) != true || !type.Any(t => t.StartsWith("application/x-www-form-urlencoded", StringComparison.Ordinal)))
        {
            errors.Add($"{path}: expected a form-encoded body");
        }

        if (request.Headers?.TryGetValue("Authorization", out var auth) != true || !auth.Contains("Bearer " + FakeSlack.BotToken))
        {
            errors.Add($"{path}: the bot token must be sent as a Bearer header");
        }
    }
}
