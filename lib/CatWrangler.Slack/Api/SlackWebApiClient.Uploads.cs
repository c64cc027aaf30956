using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace CatWrangler.Slack.Api;

/// <summary>Slack's external upload: files.getUploadURLExternal, the bytes POSTed to the returned URL, files.completeUploadExternal.</summary>
public sealed partial class SlackWebApiClient
{
    /// <summary>Uploads a file and shares it into a thread as one message (the file with <see cref="SlackUpload.InitialComment"/>).</summary>
    /// <exception cref="SlackApiException">Slack refused a step (<c>ok: false</c>), or the upload URL is not https.</exception>
    /// <exception cref="HttpRequestException">A step failed on the wire.</exception>
    public async Task UploadToThreadAsync(SlackUpload upload, CancellationToken cancellationToken)
    {
        var slot = await CallAsync<UploadUrlResponse>(
            "files.getUploadURLExternal",
            new FormUrlEncodedContent(
            [
                new("filename", upload.FileName),
                new("length", upload.Bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new("alt_txt", upload.AltText),
            ]),
            cancellationToken);
        if (slot.FileId is not { Length: > 0 } fileId || !Uri.TryCreate(slot.UploadUrl, UriKind.Absolute, out var uploadUrl)
            || !(uploadUrl.Scheme == Uri.UriSchemeHttps || (uploadUrl.Scheme == Uri.UriSchemeHttp && uploadUrl.IsLoopback)))
        {
            throw new SlackApiException("files.getUploadURLExternal", "the answer has no https upload_url and file_id");
        }

        // The upload URL is pre-authorised: the bot token is not sent there.
        using (var request = new HttpRequestMessage(HttpMethod.Post, uploadUrl) { Content = new ByteArrayContent(upload.Bytes) })
        {
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using var response = await http.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"Slack's upload URL answered HTTP {(int)response.StatusCode}.", null, response.StatusCode);
            }
        }

        var files = JsonSerializer.Serialize(new[] { new UploadedFile(fileId, upload.Title) }, SlackJson.TypeInfo<UploadedFile[]>());
        await CallAsync<SlackResponse>(
            "files.completeUploadExternal",
            new FormUrlEncodedContent(
            [
                new("files", files),
                new("channel_id", upload.ChannelId),
                new("thread_ts", upload.ThreadTs),
                new("initial_comment", upload.InitialComment),
            ]),
            cancellationToken);
    }

    private sealed record UploadUrlResponse : SlackResponse
    {
        public string? UploadUrl { get; init; }
        public string? FileId { get; init; }
    }

    private sealed record UploadedFile(string Id, string Title);

    internal static IJsonTypeInfoResolver UploadJson => UploadJsonContext.Default;

    [JsonSerializable(typeof(UploadUrlResponse))]
    [JsonSerializable(typeof(UploadedFile[]))]
    private sealed partial class UploadJsonContext : JsonSerializerContext;
}
