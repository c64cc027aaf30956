using System.Text.Json;
using CatWrangler.Core;
using Microsoft.AspNetCore.Mvc;

namespace CatWrangler.Processor.Sqs;

/// <summary>
/// <c>POST /events</c>: the AWS Lambda Web Adapter's pass-through path. Lambda's SQS event arrives as the raw JSON
/// body; the JSON answer is the invocation result, so <c>batchItemFailures</c> reports exactly the records to retry.
/// Registered only on the aws platform.
/// </summary>
public static partial class SqsEventsEndpoint
{
    public const string Path = "/events";

    public static bool IsEnabled(IConfiguration configuration)
        => CatWranglerOptions.PlatformOf(configuration) == CatWranglerPlatform.Aws;

    /// <summary>
    /// Needs a <see cref="WorkItemHandler"/> registered (the pipeline's per-record step). With
    /// <c>CatWrangler:Aws:PollQueue=true</c> the host also polls the queue itself (no Lambda in front).
    /// </summary>
    public static IServiceCollection AddSqsEvents(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<SqsRecordHandler>();
        if (configuration.GetValue<bool>($"{CatWrangler.Adapters.Aws.AwsOptions.Section}:PollQueue"))
        {
            services.AddHostedService<SqsQueuePoller>();
        }

        return services;
    }

    public static IEndpointRouteBuilder MapSqsEvents(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(Path, HandleAsync).ExcludeFromDescription();
        return endpoints;
    }

    private static async Task<IResult> HandleAsync(HttpRequest request, SqsRecordHandler handler, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(SqsEventsEndpoint).FullName!);
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException e)
        {
            // No record can be named: the non-2xx status is what makes the Web Adapter fail the invocation
            // (AWS_LWA_ERROR_STATUS_CODES), so Lambda retries the whole batch instead of deleting it.
            return TypedResults.Problem(new ProblemDetails { Status = 400, Title = "Not an SQS event", Detail = e.Message });
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("Records", out var records)
                || records.ValueKind != JsonValueKind.Array)
            {
                return TypedResults.Problem(new ProblemDetails { Status = 400, Title = "Not an SQS event", Detail = "The body has no 'Records' array." });
            }

            var failures = await HandleBatchAsync([.. records.EnumerateArray()], handler, logger, cancellationToken);
            return TypedResults.Json(new SqsBatchResponse(failures), SqsEventJson.Default.SqsBatchResponse);
        }
    }

    /// <summary>
    /// Runs the records one at a time (batches are small and the detector's memory stays bounded) and returns every record
    /// not known to be done: one whose JSON does not fit, one whose handler said "failed", and, if anything outside the
    /// per-record step throws, every record not finished yet. Whatever happens, the answer is a well-formed batch response.
    /// </summary>
    private static async Task<List<SqsBatchItemFailure>> HandleBatchAsync(
        IReadOnlyList<JsonElement> elements,
        SqsRecordHandler handler,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        var ids = elements.Select(MessageIdOf).ToList();
        var done = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            var records = elements.Select(ParseRecord).ToList();
            await using var lease = handler.StartLease(records.OfType<SqsEventRecord>());
            foreach (var record in records)
            {
                if (record is not null && await handler.HandleAsync(record, lease, cancellationToken))
                {
                    done.Add(record.MessageId);
                }
            }
        }
        catch (Exception e)
        {
            LogBatchFailed(logger, e, ids.Count - done.Count);
        }

        return [.. ids.Where(id => !done.Contains(id)).Select(id => new SqsBatchItemFailure(id))];
    }

    /// <summary>
    /// The record's message id even when the rest of it does not parse; an empty id when there is none, which Lambda
    /// treats as a failure of the whole batch (better than deleting a record nobody can name).
    /// </summary>
    private static string MessageIdOf(JsonElement element)
        => element.ValueKind == JsonValueKind.Object && element.TryGetProperty("messageId", out var id) && id.ValueKind == JsonValueKind.String
            ? id.GetString()!
            : "";

    private static SqsEventRecord? ParseRecord(JsonElement element)
    {
        try
        {
            var record = element.Deserialize(SqsEventJson.Default.SqsEventRecord);
            return record is { MessageId.Length: > 0 } ? record : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling an SQS batch failed; {Count} records reported as failed")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count);
}
