using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CatWrangler.Core.Ports;

namespace CatWrangler.Slack.Api;

/// <summary>
/// The few Web API methods this bot calls. Authenticates with the bot token from the secret store, checks <c>ok</c> in every
/// JSON answer and throws <see cref="SlackApiException"/> when it is false. 429s are retried by the client's resilience handler.
/// </summary>
public sealed partial class SlackWebApiClient(HttpClient http, ISecretStore secrets)
{
    public async Task<string?> PostMessageAsync(string channel, string text, string? threadTs, CancellationToken cancellationToken)
    {
        var response = await CallAsync<PostMessageResponse>(
            "chat.postMessage", JsonBody(new PostMessageRequest(channel, text, threadTs)), cancellationToken);
        return response.Ts;
    }

    public Task PostEphemeralAsync(string channel, string user, string text, CancellationToken cancellationToken)
        => CallAsync<SlackResponse>("chat.postEphemeral", JsonBody(new PostEphemeralRequest(channel, user, text)), cancellationToken);

    /// <summary>Adds a reaction; one that is already there counts as success.</summary>
    public Task AddReactionAsync(string channel, string ts, string name, CancellationToken cancellationToken)
        => CallTolerating("reactions.add", new ReactionRequest(channel, ts, name), "already_reacted", cancellationToken);

    /// <summary>Removes a reaction; one that is not there counts as success.</summary>
    public Task RemoveReactionAsync(string channel, string ts, string name, CancellationToken cancellationToken)
        => CallTolerating("reactions.remove", new ReactionRequest(channel, ts, name), "no_reaction", cancellationToken);

    public async Task<SlackFile> GetFileInfoAsync(string fileId, CancellationToken cancellationToken)
    {
        var response = await CallAsync<FilesInfoResponse>(
            "files.info", new FormUrlEncodedContent([new("file", fileId)]), cancellationToken);
        return response.File ?? throw new SlackApiException("files.info", "the answer has no file");
    }

    /// <summary>
    /// <c>apps.connections.open</c>: a fresh Socket Mode WebSocket URL. Authorised by the app-level token
    /// (<c>xapp-…</c>, scope <c>connections:write</c>), not the bot token.
    /// </summary>
    public async Task<Uri> OpenConnectionAsync(string appToken, CancellationToken cancellationToken)
    {
        const string method = "apps.connections.open";
        var response = await CallAsync<ConnectionsOpenResponse>(method, content: null, appToken, cancellationToken);
        return response.Url ?? throw new SlackApiException(method, "the answer has no url");
    }

    /// <summary>Answers a slash command later. The URL comes from Slack's signed request; no token is sent to it.</summary>
    public async Task PostToResponseUrlAsync(Uri responseUrl, SlashResponse message, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, responseUrl) { Content = JsonBody(message) };
        using var response = await http.SendAsync(request, cancellationToken);
        await EnsureOkAsync<SlackResponse>("response_url", response, allowPlainText: true, cancellationToken);
    }

    private async Task CallTolerating(string method, ReactionRequest body, string tolerated, CancellationToken cancellationToken)
    {
        try
        {
            await CallAsync<SlackResponse>(method, JsonBody(body), cancellationToken);
        }
        catch (SlackApiException e) when (e.Error == tolerated)
        {
            // The desired state holds already (a retried job, or a person who reacted the same way).
        }
    }

    private async Task<T> CallAsync<T>(string method, HttpContent content, CancellationToken cancellationToken)
        where T : SlackResponse
    {
        var token = await secrets.GetAsync(SlackOptions.BotTokenKey, cancellationToken);
        if (string.IsNullOrEmpty(token))
        {
            throw new SlackApiException(method, $"no bot token: set {SlackOptions.BotTokenKey}");
        }

        return await CallAsync<T>(method, content, token, cancellationToken);
    }

    private async Task<T> CallAsync<T>(string method, HttpContent? content, string token, CancellationToken cancellationToken)
        where T : SlackResponse
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, method) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, cancellationToken);
        return await EnsureOkAsync<T>(method, response, allowPlainText: false, cancellationToken);
    }

    private static async Task<T> EnsureOkAsync<T>(string method, HttpResponseMessage response, bool allowPlainText, CancellationToken cancellationToken)
        where T : SlackResponse
    {
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            throw new SlackApiException(method, "ratelimited (still after retries)");
        }

        if (!response.IsSuccessStatusCode)
        {
            // Transient from the caller's point of view: the job is retried later.
            throw new HttpRequestException($"Slack {method} answered HTTP {(int)response.StatusCode}.", null, response.StatusCode);
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (allowPlainText && !body.TrimStart().StartsWith('{'))
        {
            // response_url answers a bare "ok" on success.
            return (T)new SlackResponse { Ok = true };
        }

        T? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize(body, SlackJson.TypeInfo<T>());
        }
        catch (JsonException)
        {
            throw new SlackApiException(method, "the answer is not JSON");
        }

        return parsed is { Ok: true } ? parsed : throw new SlackApiException(method, parsed?.Error ?? "unknown_error");
    }

    private static JsonContent JsonBody<T>(T value) => JsonContent.Create(value, SlackJson.TypeInfo<T>());
}
