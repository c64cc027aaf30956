using System.Text.Json;
using System.Text.Json.Serialization;

namespace CatWrangler.Core.Json;

/// <summary>The one JSON shape for scans everywhere: API responses, callbacks, stored records, CLI output.</summary>
public static class CatWranglerJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
