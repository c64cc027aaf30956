using System.Text.Json;
using CatWrangler.Core;
using Microsoft.AspNetCore.Mvc;

namespace CatWrangler.Processor.Sqs;

/// <summary>
/// <c>POST /events</c>: the AWS Lambda Web Adapter's pass-through path. Lambda's SQS event arrives as the raw JSON
/// body; the JSON answer is the invocation result, so <c>batchItemFailures</c> reports exactly the records to retry.
/// Registered only on the aws platform.
/// </summary>
public static class SqsEventsEndpoint
{
    public const string Path = "/events";

    public static bool IsEnabled(IConfiguration configuration)
        => string.Equals(configuration[$"{CatWranglerOptions.Section}:Platform"], "aws", StringComparison.OrdinalIgnoreCase);

    /// <summary>Needs a <see cref="WorkItemHandler"/> registered (the pipeline's per-record step).</summary>
    public static IServiceCollection AddSqsEvents(this IServiceCollection services)
    {
        services.AddSingleton<SqsRecordHandler>();
        return services;
    }

    public static IEndpointRouteBuilder MapSqsEvents(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(Path, HandleAsync).ExcludeFromDescription();
        return endpoints;
    }

    private static async Task<IResult> HandleAsync(HttpRequest request, SqsRecordHandler handler, CancellationToken cancellationToken)
    {
        SqsEvent? sqsEvent;
        try
        {
            sqsEvent = await JsonSerializer.DeserializeAsync(request.Body, SqsEventJson.Default.SqsEvent, cancellationToken);
        }
        catch (JsonException e)
        {
            return TypedResults.Problem(new ProblemDetails { Status = 400, Title = "Not an SQS event", Detail = e.Message });
        }

        if (sqsEvent?.Records is null)
        {
            return TypedResults.Problem(new ProblemDetails { Status = 400, Title = "Not an SQS event", Detail = "The body has no 'Records' array." });
        }

        // One record at a time: batches are small and the detector's memory stays bounded.
        var failures = new List<SqsBatchItemFailure>();
        foreach (var record in sqsEvent.Records)
        {
            if (!await handler.HandleAsync(record, cancellationToken))
            {
                failures.Add(new SqsBatchItemFailure(record.MessageId));
            }
        }

        return TypedResults.Json(new SqsBatchResponse(failures), SqsEventJson.Default.SqsBatchResponse);
    }
}
