using System.Text.Json;
using System.Text.Json.Serialization;

namespace CatWrangler.Core.Json;

/// <summary>The one JSON shape for scans everywhere: API responses, callbacks, stored records, CLI output.</summary>
public static class CatWranglerJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>Gives <paramref name="options"/> (web defaults assumed) this shape: camelCase enums, nulls left out.</summary>
    public static void Apply(JsonSerializerOptions options)
    {
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
    }

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Apply(options);
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
