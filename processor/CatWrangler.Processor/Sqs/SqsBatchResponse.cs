using System.Text.Json.Serialization;

namespace CatWrangler.Processor.Sqs;

/// <summary>The partial batch response Lambda understands with <c>ReportBatchItemFailures</c>.</summary>
public sealed record SqsBatchResponse([property: JsonPropertyName("batchItemFailures")] IReadOnlyList<SqsBatchItemFailure> BatchItemFailures);
