using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace CatWrangler.ModelSupply.Conversion;

/// <summary>One GraphDef node of a TFJS graph model: op, inputs (without output suffixes) and raw JSON attributes.</summary>
public sealed record TfNode(string Name, string Op, IReadOnlyList<string> Inputs, JsonElement Attributes)
{
    public bool TryGetAttribute(string name, out JsonElement value)
    {
        value = default;
        return Attributes.ValueKind == JsonValueKind.Object && Attributes.TryGetProperty(name, out value);
    }

    /// <summary>String attributes are base64 in TFJS JSON (<c>"U0FNRQ=="</c> is <c>SAME</c>).</summary>
    public string? StringAttribute(string name)
        => TryGetAttribute(name, out var v) && v.TryGetProperty("s", out var s)
            ? Encoding.UTF8.GetString(Convert.FromBase64String(s.GetString() ?? string.Empty))
            : null;

    public bool BoolAttribute(string name, bool fallback = false)
        => TryGetAttribute(name, out var v) && v.TryGetProperty("b", out var b) ? b.GetBoolean() : fallback;

    public IReadOnlyList<int> IntListAttribute(string name)
        => TryGetAttribute(name, out var v) && v.TryGetProperty("list", out var l) && l.TryGetProperty("i", out var items)
            ? items.EnumerateArray().Select(ParseInt).ToArray()
            : [];

    public IReadOnlyList<string> StringListAttribute(string name)
        => TryGetAttribute(name, out var v) && v.TryGetProperty("list", out var l) && l.TryGetProperty("s", out var items)
            ? items.EnumerateArray().Select(e => Encoding.UTF8.GetString(Convert.FromBase64String(e.GetString() ?? string.Empty))).ToArray()
            : [];

    /// <summary>The Placeholder's declared shape (-1 for unknown dimensions).</summary>
    public int[] ShapeAttribute(string name)
        => TryGetAttribute(name, out var v) && v.TryGetProperty("shape", out var s) && s.TryGetProperty("dim", out var dims)
            ? dims.EnumerateArray().Select(d => d.TryGetProperty("size", out var size) ? ParseInt(size) : -1).ToArray()
            : [];

    // int64 values are JSON strings in TFJS files
    private static int ParseInt(JsonElement e) => e.ValueKind == JsonValueKind.String ? int.Parse(e.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : e.GetInt32();
}
