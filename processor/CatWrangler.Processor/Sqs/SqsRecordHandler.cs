using CatWrangler.Adapters.Aws;
using CatWrangler.Core.Ports;

namespace CatWrangler.Processor.Sqs;

/// <summary>
/// One SQS record: parse, run the pipeline step, map its outcome to "delete" (true) or "report as failed" (false).
/// A failed record is redelivered by SQS after its visibility timeout and dead-lettered after the redrive policy's
/// maxReceiveCount; other records of the batch are unaffected.
/// </summary>
public sealed partial class SqsRecordHandler(WorkItemHandler handler, SqsWorkQueue queue, AwsOptions options, TimeProvider time, ILogger<SqsRecordHandler> logger)
{
    public async Task<bool> HandleAsync(SqsEventRecord record, CancellationToken cancellationToken)
    {
        var message = SqsWorkMessage.TryParse(record.Body);
        if (message is null)
        {
            // Nothing can ever process it: let it fail its way into the DLQ where an operator can look at it.
            LogPoison(logger, record.MessageId);
            return false;
        }

        if (message.NotBefore is { } notBefore && notBefore > time.GetUtcNow())
        {
            // A delay longer than SQS allows: send it on for the remaining time (see SqsWorkQueue).
            await queue.HopAsync(message, cancellationToken);
            return true;
        }

        try
        {
            var outcome = await handler(message.ToWorkItem(), record.ReceiveCount, cancellationToken);
            if (outcome is WorkOutcome.RetryLater retry)
            {
                LogRetry(logger, record.MessageId, message.ScanId, retry.Delay, retry.Reason);
                if (record.ReceiptHandle is { Length: > 0 } receipt)
                {
                    await queue.ChangeVisibilityAsync(receipt, retry.Delay, cancellationToken);
                }

                return false;
            }

            if (outcome is WorkOutcome.DeadLetter dead)
            {
                // The scan is already failed and its client told; reporting the record as failed lets the redrive policy park it.
                LogGaveUp(logger, record.MessageId, message.ScanId, record.ReceiveCount, dead.Reason);
                return false;
            }

            return true;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            if (record.ReceiveCount >= options.MaxReceiveCount)
            {
                LogDeadLettered(logger, e, record.MessageId, message.ScanId, record.ReceiveCount);
            }
            else
            {
                LogFailed(logger, e, record.MessageId, message.ScanId, record.ReceiveCount);
            }

            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "SQS message {MessageId} is not a work message; leaving it to the dead-letter queue")]
    private static partial void LogPoison(ILogger logger, string messageId);

    [LoggerMessage(Level = LogLevel.Information, Message = "SQS message {MessageId} (scan {ScanId}) retries in {Delay}: {Reason}")]
    private static partial void LogRetry(ILogger logger, string messageId, string scanId, TimeSpan delay, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "SQS message {MessageId} (scan {ScanId}) failed on its last receive ({ReceiveCount}); it goes to the dead-letter queue")]
    private static partial void LogDeadLettered(ILogger logger, Exception exception, string messageId, string scanId, int receiveCount);

    [LoggerMessage(Level = LogLevel.Error, Message = "SQS message {MessageId} (scan {ScanId}) gave up on receive {ReceiveCount}; it goes to the dead-letter queue: {Reason}")]
    private static partial void LogGaveUp(ILogger logger, string messageId, string scanId, int receiveCount, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SQS message {MessageId} (scan {ScanId}) failed on receive {ReceiveCount}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string messageId, string scanId, int receiveCount);
}
