using System.Text.Json.Serialization;

namespace CatWrangler.Adapters.Aws;

internal sealed record S3Location(string Bucket, string Name);
