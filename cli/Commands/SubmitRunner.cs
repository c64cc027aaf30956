using System.CommandLine;
using CatWrangler.Cli.Api;
using CatWrangler.Core.Scans;
using CatWrangler.Webhooks;
using Spectre.Console;

namespace CatWrangler.Cli.Commands;

/// <summary>The work of <c>catscan submit</c>, separate from the console so tests can drive it.</summary>
public sealed class SubmitRunner(ScanApiClient api, TextWriter output, TextWriter errors)
{
    private const int Parallelism = 4;

    public static TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    public async Task<int> RunAsync(SubmitRequest request, bool showProgress, CancellationToken cancellationToken)
    {
        var outcomes = new FileOutcome[request.Files.Count];
        if (showProgress)
        {
            await AnsiConsole.Progress().StartAsync(async progress =>
            {
                var task = progress.AddTask("submitting", maxValue: request.Files.Count);
                await SubmitAllAsync(request, outcomes, () => task.Increment(1), cancellationToken);
            });
        }
        else
        {
            await SubmitAllAsync(request, outcomes, () => { }, cancellationToken);
        }

        var exit = ExitCodes.Ok;
        var fatal = outcomes.Where(o => o.Exit is ExitCodes.Unauthorized or ExitCodes.Unavailable).Select(o => o.Exit).FirstOrDefault();
        if (request.Wait && fatal == 0)
        {
            exit = await WaitAsync(request, outcomes, cancellationToken);
        }

        foreach (var outcome in outcomes)
        {
            if (outcome.Error is not null)
            {
                await errors.WriteLineAsync($"{outcome.File}: {outcome.Error}");
            }
            else
            {
                await output.WriteLineAsync($"{outcome.File}: {Describe(outcome.Scan!)}");
            }
        }

        return fatal != 0 ? fatal
            : outcomes.Any(o => o.Exit != ExitCodes.Ok) ? outcomes.Select(o => o.Exit).Where(e => e != ExitCodes.Ok).Max()
            : exit;
    }

    private async Task SubmitAllAsync(SubmitRequest request, FileOutcome[] outcomes, Action advanced, CancellationToken cancellationToken)
    {
        await Parallel.ForAsync(0, request.Files.Count, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            outcomes[i] = await SubmitOneAsync(request.Files[i], request.CallbackUrl, request.InlineMaxBytes, ct);
            advanced();
        });
    }

    private async Task<FileOutcome> SubmitOneAsync(string file, string? callbackUrl, long inlineMaxBytes, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(file, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new FileOutcome(file, null, "cannot read file: " + e.Message, ExitCodes.Rejected);
        }

        // The service judges the content; the extension only picks the declared type.
        var contentType = Path.GetExtension(file).ToLowerInvariant() is ".png" ? "image/png" : "image/jpeg";
        var reference = Path.GetFileName(file);
        var result = bytes.Length > inlineMaxBytes
            ? await api.SubmitStagedAsync(bytes, callbackUrl, reference, cancellationToken)
            : await api.SubmitAsync(bytes, contentType, callbackUrl, reference, cancellationToken);
        if (result.Error is { Status: StatusCodes.Status413PayloadTooLarge } && bytes.Length <= inlineMaxBytes)
        {
            // The service's inline limit is lower than ours; its 413 names the upload route.
            result = await api.SubmitStagedAsync(bytes, callbackUrl, reference, cancellationToken);
        }
        if (result.Error is { } error)
        {
            var (code, message) = ExitCodes.For(error);
            return new FileOutcome(file, null, message, code);
        }

        return new FileOutcome(file, result.Value, null, ExitCodes.Ok);
    }

    private async Task<int> WaitAsync(SubmitRequest request, FileOutcome[] outcomes, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + request.WaitTimeout;
        while (true)
        {
            var pending = Enumerable.Range(0, outcomes.Length).Where(i => outcomes[i].Scan is { IsTerminal: false }).ToList();
            if (pending.Count == 0)
            {
                return outcomes.Any(o => o.Scan?.Status == ScanStatus.Failed) ? ExitCodes.Rejected : ExitCodes.Ok;
            }

            if (DateTimeOffset.UtcNow >= deadline)
            {
                await errors.WriteLineAsync($"catscan submit: {pending.Count} scan(s) not finished after {request.WaitTimeout.TotalSeconds:0} s");
                return ExitCodes.Timeout;
            }

            await Task.Delay(PollInterval, cancellationToken);
            foreach (var i in pending)
            {
                var result = await api.GetAsync(outcomes[i].Scan!.Id, debug: false, cancellationToken);
                if (result.Value is { } scan)
                {
                    outcomes[i] = outcomes[i] with { Scan = scan };
                }
                else if (result.Error is { } error && ExitCodes.For(error) is var (code, message) && code != ExitCodes.Unavailable)
                {
                    outcomes[i] = outcomes[i] with { Scan = null, Error = message, Exit = code };
                }
            }
        }
    }

    /// <summary>"Yes (cat 0.97) scan 0190…", "No (top: dog 0.81) scan …", "queued scan …" or "failed: reason scan …".</summary>
    public static string Describe(ScanView scan) => scan switch
    {
        { Status: ScanStatus.Done, Verdict: { } v } => $"{VerdictText.Summary(v)} scan {scan.Id}",
        { Status: ScanStatus.Failed } => $"failed: {scan.Error?.Message ?? "unknown error"} scan {scan.Id}",
        _ => $"{scan.Status.ToString().ToLowerInvariant()} scan {scan.Id}",
    };

    private sealed record FileOutcome(string File, ScanView? Scan, string? Error, int Exit);
}
