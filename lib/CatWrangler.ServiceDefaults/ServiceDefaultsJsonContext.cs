using System.Text.Json.Serialization;

namespace CatWrangler.ServiceDefaults;

/// <summary>Source-generated metadata for what the shared endpoints write (Native AOT hosts serialize without reflection).</summary>
[JsonSerializable(typeof(HealthStatus))]
internal sealed partial class ServiceDefaultsJsonContext : JsonSerializerContext;
