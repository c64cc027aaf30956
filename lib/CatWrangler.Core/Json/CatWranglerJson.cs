using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;

namespace CatWrangler.Core.Json;

/// <summary>The one JSON shape for scans everywhere: API responses, callbacks, stored records, CLI output.</summary>
public static class CatWranglerJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>Gives <paramref name="options"/> (web defaults assumed) this shape: camelCase enums, nulls left out.</summary>
    public static void Apply(JsonSerializerOptions options)
    {
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        // One generic converter per enum in these shapes: the non-generic factory needs runtime code generation (no AOT).
        options.Converters.Add(new JsonStringEnumConverter<ScanStatus>(JsonNamingPolicy.CamelCase));
        options.Converters.Add(new JsonStringEnumConverter<ScanSourceKind>(JsonNamingPolicy.CamelCase));
        options.Converters.Add(new JsonStringEnumConverter<WorkKind>(JsonNamingPolicy.CamelCase));
        options.TypeInfoResolverChain.Insert(0, CatWranglerJsonContext.Default);
    }

    /// <summary>The metadata for <typeparamref name="T"/> under <paramref name="options"/>; the AOT-safe way to serialize with them.</summary>
    public static JsonTypeInfo<T> TypeInfo<T>(this JsonSerializerOptions options) => (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Apply(options);
        if (JsonSerializer.IsReflectionEnabledByDefault)
        {
            // Types no context names (CLI output, tests) still serialize where reflection exists; AOT hosts use contexts only.
            options.TypeInfoResolverChain.Add(new DefaultJsonTypeInfoResolver());
        }

        options.MakeReadOnly();
        return options;
    }
}
