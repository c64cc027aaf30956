using System.Text.Json.Serialization;
using CatWrangler.Core.Pipeline;
using CatWrangler.Core.Scans;

namespace CatWrangler.Core.Json;

/// <summary>
/// Source-generated metadata for the scan shapes, so serializing them needs no reflection (Native AOT hosts have none).
/// The settings come from <see cref="CatWranglerJson.Options"/>; this context only supplies the type metadata.
/// </summary>
[JsonSerializable(typeof(Scan))]
[JsonSerializable(typeof(ScanView))]
[JsonSerializable(typeof(CallbackPayload))]
public sealed partial class CatWranglerJsonContext : JsonSerializerContext;
