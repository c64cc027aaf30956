using CatWrangler.Slack.Api;
using CatWrangler.Core.Pipeline;
using CatWrangler.Core.Ports;
using Microsoft.Extensions.Logging;

namespace CatWrangler.Slack.Commands;

/// <summary>
/// The processor's side of a slow <c>/catscan</c>: runs the queued command and posts the answer to its <c>response_url</c>,
/// replacing the "working on it" message. A repeated run posts the same answer over the same message, so at-least-once is harmless.
/// </summary>
public sealed class SlackCommandAnswerer(
    CatscanCommand catscan,
    SlackWebApiClient slack,
    ProcessorOptions options,
    ILogger<SlackCommandAnswerer> logger) : IWorkKindHandler
{
    public WorkKind Kind => WorkKind.SlackCommand;

    public async Task<WorkOutcome> HandleAsync(WorkItem item, int receiveCount, CancellationToken cancellationToken)
    {
        if (SlashCommand.FromPayload(item.Payload) is not { ResponseUrl: { } responseUrl } command)
        {
            return new WorkOutcome.DeadLetter("The work item carries no slash command with a response URL.");
        }

        var answer = await catscan.RunAsync(command, cancellationToken);
        try
        {
            await slack.PostToResponseUrlAsync(responseUrl, answer with { ReplaceOriginal = true }, cancellationToken);
            return WorkOutcome.Done;
        }
        catch (HttpRequestException e) when (e.StatusCode is { } status && (int)status is >= 400 and < 500)
        {
            // Slack refuses the URL for good (expired after 30 minutes, or used up): retrying cannot help.
            Log.DeferredCommandRefused(logger, (int)status);
            return WorkOutcome.Done;
        }
        catch (Exception e) when (e is HttpRequestException or SlackApiException && !cancellationToken.IsCancellationRequested)
        {
            Log.DeferredCommandFailed(logger, e, receiveCount);
            return receiveCount >= options.MaxAttempts
                ? new WorkOutcome.DeadLetter($"The answer could not be posted to response_url after {receiveCount} attempts: {e.Message}")
                : new WorkOutcome.RetryLater(options.BackoffFor(receiveCount), e.Message);
        }
    }
}
