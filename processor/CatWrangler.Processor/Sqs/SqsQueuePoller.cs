using CatWrangler.Adapters.Aws;

namespace CatWrangler.Processor.Sqs;

/// <summary>
/// Does what Lambda's SQS event source mapping does, for a processor running as a plain process
/// (<c>CatWrangler:Aws:PollQueue=true</c>): receive, keep the batch leased (<see cref="SqsBatchLease"/>),
/// run each record through <see cref="SqsRecordHandler"/>, delete the ones that succeeded; failed ones reappear after their visibility timeout and end in the DLQ like on Lambda.
/// </summary>
public sealed partial class SqsQueuePoller(SqsWorkQueue queue, SqsRecordHandler handler, AwsOptions options, ILogger<SqsQueuePoller> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var messages = await queue.ReceiveAsync(10, options.PollWait, stoppingToken);
                var records = messages.Select(m => new SqsEventRecord(
                    m.MessageId,
                    m.ReceiptHandle,
                    m.Body,
                    new Dictionary<string, string> { ["ApproximateReceiveCount"] = m.ReceiveCount.ToString(System.Globalization.CultureInfo.InvariantCulture) })).ToList();
                await using (var lease = handler.StartLease(records))
                {
                    foreach (var record in records)
                    {
                        if (await handler.HandleAsync(record, lease, stoppingToken))
                        {
                            await lease.ReleaseAsync(record.ReceiptHandle, null, stoppingToken);
                            await queue.DeleteAsync(record.ReceiptHandle!, stoppingToken);
                        }
                    }
                }

                if (messages.Count == 0 && options.PollWait < TimeSpan.FromSeconds(1))
                {
                    // Short polls against an empty queue: do not spin.
                    await Task.Delay(TimeSpan.FromMilliseconds(200), stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The queue itself is unreachable: back off and try again; records are safe in SQS.
                LogPollFailed(logger, e);
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling the work queue failed; retrying in 5 s")]
    private static partial void LogPollFailed(ILogger logger, Exception exception);
}
