using System.Diagnostics;
using System.Security.Cryptography;
using CatWrangler.Core.Annotation;
using CatWrangler.Core.Detection;
using CatWrangler.Core.Images;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;
using Microsoft.Extensions.Logging;

namespace CatWrangler.Core.Pipeline;

/// <summary>
/// The one per-record handler of the processor, whatever the transport (local leases, SQS batches):
/// ingest → validate → classify → store the verdict → notify, or deliver a callback. Idempotent and at-least-once:
/// a finished scan is not classified again, only its notifications are repeated. Permanent problems (an unusable image)
/// fail the scan at once (<see cref="WorkOutcome.Done"/>: not poison); transient ones are retried with backoff until
/// <see cref="ProcessorOptions.MaxAttempts"/>, then the scan is failed and the work dead-lettered (<see cref="WorkOutcome.DeadLetter"/>).
/// </summary>
public sealed partial class ScanProcessor(
    IScanStore scans,
    IImageStore images,
    IEnumerable<IImageFetcher> fetchers,
    ImageValidator validator,
    ICatDetector detector,
    IEnumerable<IScanNotifier> notifiers,
    CallbackSender callbacks,
    ProcessorOptions options,
    TimeProvider time,
    ILogger<ScanProcessor> logger,
    IImageAnnotator? annotator = null)
{
    /// <summary>Scan error code when the detector's service refuses the deployment's setup (<see cref="DetectorConfigurationException"/>).</summary>
    public const string DetectorMisconfiguredCode = "detector_misconfigured";

    public Task<WorkOutcome> HandleAsync(WorkItem item, int receiveCount, CancellationToken cancellationToken) => item.Kind switch
    {
        WorkKind.Process => ProcessAsync(item.ScanId, receiveCount, cancellationToken),
        WorkKind.Callback => callbacks.DeliverAsync(item, cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(item), item.Kind, "unknown work kind"),
    };

    private async Task<WorkOutcome> ProcessAsync(string scanId, int receiveCount, CancellationToken cancellationToken)
    {
        var scan = await scans.GetAsync(scanId, cancellationToken);
        if (scan is null)
        {
            LogMissing(logger, scanId);
            return WorkOutcome.Done;
        }

        if (scan.IsTerminal)
        {
            await NotifyAsync(scan, cancellationToken); // a crash may have come between saving and notifying
            return WorkOutcome.Done;
        }

        if (scan.Attempts == 0)
        {
            // "Accepted" side effects (Slack's ⏳) run here, not in the accept path, which must answer Slack within 3 s.
            await AcknowledgeAsync(scan, cancellationToken);
        }

        var startedAt = time.GetUtcNow();
        var attempt = AttemptNumber(scan.Attempts, receiveCount);
        scan = scan with { Status = ScanStatus.Processing, StartedAt = scan.StartedAt ?? startedAt, Attempts = attempt };
        await scans.SaveAsync(scan, cancellationToken);

        var clock = Stopwatch.StartNew();
        var outcome = WorkOutcome.Done; // an unusable image is the sender's problem, not poison: only giving up dead-letters
        try
        {
            var (bytes, ingested) = await IngestAsync(scan, cancellationToken);
            scan = ingested;
            var fetchMs = clock.Elapsed.TotalMilliseconds;
            var image = scan.Image!;
            var format = image.ContentType == ImageFormat.Png.ContentType() ? ImageFormat.Png : ImageFormat.Jpeg;
            var result = await detector.DetectAsync(new ImageContent(bytes, format, image.Width, image.Height, image.StorageKey), cancellationToken);

            // Before the verdict is saved, so every notification of a done scan finds the picture.
            await AnnotateAsync(scan.Id, bytes, result.Verdict, cancellationToken);
            var timings = new Dictionary<string, double>(result.Diagnostics.TimingsMs) { ["ingest"] = fetchMs, ["total"] = clock.Elapsed.TotalMilliseconds };
            scan = scan with
            {
                Status = ScanStatus.Done,
                Verdict = result.Verdict,
                Error = null,
                CompletedAt = time.GetUtcNow(),
                Debug = scan.Debug with
                {
                    TimingsMs = timings,
                    ModelInput = result.Diagnostics.ModelInput,
                    RawTopScores = result.Diagnostics.RawTopScores,
                    DetectorRaw = result.Diagnostics.RawResponse,
                    AttemptLog = Log(scan, new AttemptRecord(attempt, startedAt, time.GetUtcNow(), "done", null)),
                },
            };
            await scans.SaveAsync(scan, cancellationToken);
            LogDone(logger, scan.Id, result.Verdict.IsCat, result.Verdict.Confidence, clock.Elapsed.TotalMilliseconds);
        }
        catch (ImageRejectedException e)
        {
            scan = await FailAsync(scan, attempt, startedAt, e.Reason.Code(), e.Message, cancellationToken);
        }
        catch (ImageFetchFailedException e) when (!e.Transient)
        {
            scan = await FailAsync(scan, attempt, startedAt, ImageFetchFailedException.Code, e.Message, cancellationToken);
        }
        catch (DetectorConfigurationException e)
        {
            // Retrying cannot fix a deployment problem: fail now with the operator's message instead of dead-lettering later.
            scan = await FailAsync(scan, attempt, startedAt, DetectorMisconfiguredCode, e.Message, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            if (attempt >= options.MaxAttempts)
            {
                LogGaveUp(logger, e, scan.Id, attempt);
                var (code, message) = e is ImageFetchFailedException
                    ? (ImageFetchFailedException.Code, $"{e.Message} (gave up after {attempt} attempts)")
                    : ("processing_failed", $"Processing failed after {attempt} attempts: {e.Message}");
                scan = await FailAsync(scan, attempt, startedAt, code, message, cancellationToken);
                outcome = new WorkOutcome.DeadLetter(message);
            }
            else
            {
                var delay = options.BackoffFor(attempt);
                LogRetry(logger, e, scan.Id, attempt, delay);
                scan = scan with
                {
                    Status = ScanStatus.Queued,
                    Debug = scan.Debug with { AttemptLog = Log(scan, new AttemptRecord(attempt, startedAt, time.GetUtcNow(), "retry", e.Message)) },
                };
                await scans.SaveAsync(scan, cancellationToken);
                return new WorkOutcome.RetryLater(delay, e.Message);
            }
        }

        await NotifyAsync(scan, cancellationToken);
        return outcome;
    }

    /// <summary>
    /// Which attempt this run is: one more than the scan records, or the transport's receive count when that is higher.
    /// A receive whose run died before saving the scan (crash, timeout, OOM) is counted by the transport only; without
    /// it the scan would still be retrying when SQS's redrive policy already moved the message to the dead-letter queue.
    /// </summary>
    public static int AttemptNumber(int recordedAttempts, int receiveCount) => Math.Max(recordedAttempts + 1, receiveCount);

    /// <summary>The image bytes: from the store, or fetched from the source (Slack, an image URL), validated and stored first.</summary>
    private async Task<(byte[] Bytes, Scan Scan)> IngestAsync(Scan scan, CancellationToken cancellationToken)
    {
        if (scan.Image is { } stored)
        {
            var bytes = await images.GetAsync(stored.StorageKey, cancellationToken)
                ?? throw new InvalidOperationException($"The stored image {stored.StorageKey} is missing.");
            return (bytes, scan);
        }

        var fetcher = fetchers.FirstOrDefault(f => f.CanFetch(scan))
            ?? throw new ImageRejectedException(ImageRejection.Corrupt, "This scan has no image and no way to fetch one.");
        var fetched = await fetcher.FetchAsync(scan, cancellationToken);
        var check = validator.Check(fetched.Bytes, fetched.DeclaredContentType);
        if (check is ImageCheck.Rejected rejected)
        {
            throw new ImageRejectedException(rejected.Reason, rejected.Message);
        }

        var accepted = (ImageCheck.Accepted)check;
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(fetched.Bytes));
        var contentType = accepted.Format.ContentType();
        var key = await images.PutAsync(sha256, contentType, fetched.Bytes, scan.Id, cancellationToken);
        scan = scan with { Image = new ImageInfo(sha256, contentType, fetched.Bytes.Length, accepted.Width, accepted.Height, key) };
        await scans.SaveAsync(scan, cancellationToken);
        return (fetched.Bytes, scan);
    }

    private async Task<Scan> FailAsync(Scan scan, int attempt, DateTimeOffset startedAt, string code, string message, CancellationToken cancellationToken)
    {
        scan = scan with
        {
            Status = ScanStatus.Failed,
            Error = new ScanError(code, message),
            CompletedAt = time.GetUtcNow(),
            Debug = scan.Debug with { AttemptLog = Log(scan, new AttemptRecord(attempt, startedAt, time.GetUtcNow(), "failed", message)) },
        };
        await scans.SaveAsync(scan, cancellationToken);
        LogFailed(logger, scan.Id, code, message);
        return scan;
    }

    /// <summary>
    /// Stores the picture with the cat boxes drawn (when a cat was found and this host can draw). Best effort: without it
    /// the replies are text only, which is no reason to retry or fail a scan.
    /// </summary>
    private async Task AnnotateAsync(string scanId, byte[] image, Verdict verdict, CancellationToken cancellationToken)
    {
        if (annotator is null || !verdict.IsCat || verdict.Boxes.Count == 0)
        {
            return;
        }

        try
        {
            await images.PutAnnotatedAsync(scanId, annotator.Render(image, verdict.Boxes), cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LogAnnotationFailed(logger, e, scanId);
        }
    }

    /// <summary>Best effort: a missing ⏳ must not hold up the verdict.</summary>
    private async Task AcknowledgeAsync(Scan scan, CancellationToken cancellationToken)
    {
        foreach (var notifier in notifiers)
        {
            try
            {
                await notifier.OnAcceptedAsync(scan, cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                LogAcknowledgeFailed(logger, e, scan.Id);
            }
        }
    }

    /// <summary>Every notifier runs; one failing does not hide the others, and the job is retried (notifiers are idempotent).</summary>
    private async Task NotifyAsync(Scan scan, CancellationToken cancellationToken)
    {
        List<Exception>? errors = null;
        foreach (var notifier in notifiers)
        {
            try
            {
                await notifier.OnCompletedAsync(scan, cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                (errors ??= []).Add(e);
            }
        }

        if (errors is not null)
        {
            throw new AggregateException($"Notifying about scan {scan.Id} failed.", errors);
        }
    }

    private IReadOnlyList<AttemptRecord> Log(Scan scan, AttemptRecord entry)
        => [.. scan.Debug.AttemptLog.TakeLast(options.MaxAttemptLog - 1), entry];

    [LoggerMessage(Level = LogLevel.Warning, Message = "Acknowledging scan {ScanId} failed; processing goes on")]
    private static partial void LogAcknowledgeFailed(ILogger logger, Exception exception, string scanId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Drawing the annotated picture of scan {ScanId} failed; replies go out without it")]
    private static partial void LogAnnotationFailed(ILogger logger, Exception exception, string scanId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scan {ScanId} does not exist; dropping its job")]
    private static partial void LogMissing(ILogger logger, string scanId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Scan {ScanId} done: cat={IsCat} confidence={Confidence:0.000} in {Ms:0} ms")]
    private static partial void LogDone(ILogger logger, string scanId, bool isCat, double confidence, double ms);

    [LoggerMessage(Level = LogLevel.Information, Message = "Scan {ScanId} failed: {Code}: {Message}")]
    private static partial void LogFailed(ILogger logger, string scanId, string code, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scan {ScanId} attempt {Attempt} failed; retrying in {Delay}")]
    private static partial void LogRetry(ILogger logger, Exception exception, string scanId, int attempt, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Scan {ScanId} failed for good after {Attempt} attempts")]
    private static partial void LogGaveUp(ILogger logger, Exception exception, string scanId, int attempt);
}
