using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using CatWrangler.Core.Json;

namespace CatWrangler.Adapters.Aws;

/// <summary>Source-generated metadata for this adapter's own JSON (no reflection under Native AOT), with the scan shape's settings.</summary>
[JsonSerializable(typeof(SqsWorkMessage))]
internal sealed partial class AwsJsonContext : JsonSerializerContext
{
    // Built on first use: a static initializer here could run before the generated Default is assigned (partial-class order).
    public static JsonTypeInfo<SqsWorkMessage> WorkMessage => field ??= CreateOptions().TypeInfo<SqsWorkMessage>();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(CatWranglerJson.Options) { TypeInfoResolver = Default };
        options.MakeReadOnly();
        return options;
    }
}
