using System.Text.Json.Serialization;

namespace CatWrangler.Processor.Sqs;

public sealed record SqsBatchItemFailure([property: JsonPropertyName("itemIdentifier")] string ItemIdentifier);
