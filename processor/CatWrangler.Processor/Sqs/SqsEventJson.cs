using System.Text.Json.Serialization;

namespace CatWrangler.Processor.Sqs;

[JsonSerializable(typeof(SqsEventRecord))]
[JsonSerializable(typeof(SqsBatchResponse))]
internal sealed partial class SqsEventJson : JsonSerializerContext;
