using System.Threading.Channels;
using CatWrangler.Slack;
using CatWrangler.Slack.Api;
using CatWrangler.Core.Ports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CatWrangler.Bot.SocketMode;

/// <summary>
/// Slack Socket Mode, when an app-level token is configured: keeps one connection open (<c>apps.connections.open</c>, then
/// the WebSocket). When Slack asks for a refresh the replacement is opened first and the old connection closed only once the
/// new one said <c>hello</c>, so no envelope waits for a gap. A dropped socket is replaced after a backoff with jitter that
/// grows with consecutive failures. Stops for good on <c>link_disabled</c> or a token Slack refuses.
/// </summary>
internal sealed class SocketModeService(
    ISecretStore secrets,
    IServiceScopeFactory scopes,
    SocketModeDispatcher dispatcher,
    SocketModeOptions options,
    TimeProvider time,
    ILogger<SocketModeService> logger) : BackgroundService
{
    /// <summary><c>apps.connections.open</c> errors that no retry can fix.</summary>
    private static readonly HashSet<string> Unrecoverable =
    [
        "invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired", "team_disabled",
        "user_removed_from_team", "not_allowed_token_type", "missing_scope", "forbidden_team",
    ];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Off the host's start-up path: reading the token may be a network call (SSM on AWS).
        await Task.Yield();
        if (await ReadAppTokenAsync(stoppingToken) is not { } appToken)
        {
            return;
        }

        var signals = Channel.CreateUnbounded<SocketModeSignal>();
        var live = new List<SocketModeConnection>();
        SocketModeConnection? current = null;
        var refreshWanted = false;
        var failures = 0;
        var number = 0;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (current is null || refreshWanted)
                {
                    if (failures > 0)
                    {
                        await Task.Delay(ReconnectBackoff.Delay(failures, options, Random.Shared), time, stoppingToken);
                    }

                    SocketModeConnection next;
                    try
                    {
                        next = await OpenAsync(++number, appToken, signals.Writer, stoppingToken);
                    }
                    catch (SlackApiException e) when (Unrecoverable.Contains(e.Error))
                    {
                        Log.SocketModeStopped(logger, $"Slack refused the app-level token ({e.Error}); check {SlackOptions.AppTokenKey} and its connections:write scope");
                        return;
                    }
                    catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                    {
                        failures++;
                        Log.SocketModeConnectFailed(logger, number, failures, e.Message);
                        continue;
                    }

                    failures = 0;
                    live.Add(next);
                    var replaced = current;
                    current = next;
                    refreshWanted = false;
                    if (replaced is not null)
                    {
                        // The new connection is ready: the old one finishes what it received and says goodbye.
                        _ = replaced.CloseAsync("refreshed");
                    }
                }

                var signal = await signals.Reader.ReadAsync(stoppingToken);
                switch (signal.Kind)
                {
                    case SocketModeSignalKind.Closed:
                        live.Remove(signal.Connection);
                        if (signal.Connection == current)
                        {
                            current = null;
                            failures++;
                            Log.SocketModeDropped(logger, signal.Connection.Number, signal.Reason);
                        }

                        break;
                    case SocketModeSignalKind.RefreshWanted when signal.Connection == current:
                        refreshWanted = true;
                        break;
                    case SocketModeSignalKind.LinkDisabled:
                        Log.SocketModeStopped(logger, "Socket Mode was turned off in the app's settings (link_disabled)");
                        return;
                    default:
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            await Task.WhenAll(live.Select(c => c.CloseAsync(stoppingToken.IsCancellationRequested ? "shutting down" : "stopped")));
        }
    }

    private async Task<string?> ReadAppTokenAsync(CancellationToken cancellationToken)
    {
        string? token;
        try
        {
            token = await secrets.GetAsync(SlackOptions.AppTokenKey, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            Log.SocketModeOff(logger, $"{SlackOptions.AppTokenKey} could not be read ({e.Message})");
            return null;
        }

        if (string.IsNullOrEmpty(token))
        {
            Log.SocketModeOff(logger, $"no app-level token ({SlackOptions.AppTokenKey}); Slack reaches this host over HTTP only");
            return null;
        }

        if (!token.StartsWith("xapp-", StringComparison.Ordinal))
        {
            Log.SocketModeOff(logger, $"{SlackOptions.AppTokenKey} is not an app-level token (xapp-…)");
            return null;
        }

        return token;
    }

    private async Task<SocketModeConnection> OpenAsync(int number, string appToken, ChannelWriter<SocketModeSignal> signals, CancellationToken cancellationToken)
    {
        Uri url;
        await using (var scope = scopes.CreateAsyncScope())
        {
            url = await scope.ServiceProvider.GetRequiredService<SlackWebApiClient>().OpenConnectionAsync(appToken, cancellationToken);
        }

        // Slack hands out wss:// URLs; plain ws:// only to this machine (a local stand-in), as for file downloads.
        if (url.Scheme != Uri.UriSchemeWss && !(url.Scheme == Uri.UriSchemeWs && url.IsLoopback))
        {
            throw new InvalidOperationException($"apps.connections.open returned a {url.Scheme} URL; only wss is accepted.");
        }

        return await SocketModeConnection.OpenAsync(number, url, dispatcher, options, time, logger, signals, cancellationToken);
    }
}
