using CatWrangler.Adapters.Aws;
using CatWrangler.Core.Pipeline;
using CatWrangler.Core.Ports;

namespace CatWrangler.Processor.Sqs;

/// <summary>
/// One SQS record: parse, run the pipeline step, map its outcome to "delete" (true) or "report as failed" (false).
/// A failed record is redelivered by SQS when its visibility runs out and dead-lettered after the redrive policy's
/// maxReceiveCount; other records of the batch are unaffected. Never throws: an exception anywhere fails only its record.
/// </summary>
public sealed partial class SqsRecordHandler(
    WorkItemHandler handler,
    SqsWorkQueue queue,
    AwsOptions options,
    ProcessorOptions processorOptions,
    TimeProvider time,
    ILogger<SqsRecordHandler> logger)
{
    /// <summary>Starts the heartbeat that keeps <paramref name="records"/> invisible while the batch runs.</summary>
    public SqsBatchLease StartLease(IEnumerable<SqsEventRecord> records)
        => new(queue, records.Select(r => r.ReceiptHandle), processorOptions, time, logger);

    /// <summary>True only when the record's work is done and the record may be deleted.</summary>
    public async Task<bool> HandleAsync(SqsEventRecord record, SqsBatchLease lease, CancellationToken cancellationToken)
    {
        try
        {
            return await RunAsync(record, lease, cancellationToken);
        }
        catch (Exception e)
        {
            if (record.ReceiveCount >= options.MaxReceiveCount)
            {
                LogDeadLettered(logger, e, record.MessageId, record.ReceiveCount);
            }
            else
            {
                LogFailed(logger, e, record.MessageId, record.ReceiveCount);
            }

            await HideQuietlyAsync(record, lease, processorOptions.BackoffFor(record.ReceiveCount));
            return false;
        }
    }

    private async Task<bool> RunAsync(SqsEventRecord record, SqsBatchLease lease, CancellationToken cancellationToken)
    {
        var message = SqsWorkMessage.TryParse(record.Body);
        if (message is null)
        {
            // Nothing can ever process it: let it fail its way into the DLQ where an operator can look at it.
            LogPoison(logger, record.MessageId);
            await lease.ReleaseAsync(record.ReceiptHandle, null, cancellationToken);
            return false;
        }

        if (message.NotBefore is { } notBefore && notBefore > time.GetUtcNow())
        {
            // A delay longer than SQS allows: send it on for the remaining time (see SqsWorkQueue).
            await queue.HopAsync(message, cancellationToken);
            return true;
        }

        var outcome = await handler(message.ToWorkItem(), record.ReceiveCount, cancellationToken);
        switch (outcome)
        {
            case WorkOutcome.RetryLater retry:
                LogRetry(logger, record.MessageId, message.ScanId, retry.Delay, retry.Reason);
                await lease.ReleaseAsync(record.ReceiptHandle, retry.Delay, cancellationToken);
                return false;
            case WorkOutcome.DeadLetter dead:
                // The scan is already failed and its client told; reporting the record as failed lets the redrive policy park it.
                LogGaveUp(logger, record.MessageId, message.ScanId, record.ReceiveCount, dead.Reason);
                await lease.ReleaseAsync(record.ReceiptHandle, null, cancellationToken);
                return false;
            default:
                return true;
        }
    }

    /// <summary>Backs a failed record off like the local worker does; if SQS refuses even that, its lease running out retries it.</summary>
    private async Task HideQuietlyAsync(SqsEventRecord record, SqsBatchLease lease, TimeSpan delay)
    {
        try
        {
            await lease.ReleaseAsync(record.ReceiptHandle, delay, CancellationToken.None);
        }
        catch (Exception e)
        {
            LogBackoffFailed(logger, e, record.MessageId);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "SQS message {MessageId} is not a work message; leaving it to the dead-letter queue")]
    private static partial void LogPoison(ILogger logger, string messageId);

    [LoggerMessage(Level = LogLevel.Information, Message = "SQS message {MessageId} (scan {ScanId}) retries in {Delay}: {Reason}")]
    private static partial void LogRetry(ILogger logger, string messageId, string scanId, TimeSpan delay, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "SQS message {MessageId} failed on its last receive ({ReceiveCount}); it goes to the dead-letter queue")]
    private static partial void LogDeadLettered(ILogger logger, Exception exception, string messageId, int receiveCount);

    [LoggerMessage(Level = LogLevel.Error, Message = "SQS message {MessageId} (scan {ScanId}) gave up on receive {ReceiveCount}; it goes to the dead-letter queue: {Reason}")]
    private static partial void LogGaveUp(ILogger logger, string messageId, string scanId, int receiveCount, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SQS message {MessageId} failed on receive {ReceiveCount}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string messageId, int receiveCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Backing off failed SQS message {MessageId} failed; it reappears when its lease runs out")]
    private static partial void LogBackoffFailed(ILogger logger, Exception exception, string messageId);
}
