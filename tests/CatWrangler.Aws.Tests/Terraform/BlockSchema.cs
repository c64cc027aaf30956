using System.Text.Json.Nodes;

namespace CatWrangler.Aws.Tests.Terraform;

/// <summary>Arguments and nested blocks of a resource or block; <see cref="Readable"/> only on the resource itself.</summary>
public sealed class BlockSchema(JsonObject schema)
{
    public IReadOnlyDictionary<string, bool> Arguments { get; } = Required(schema["arguments"]);

    public IReadOnlyDictionary<string, bool> Blocks { get; } = Required(schema["blocks"]);

    /// <summary>Attributes a reference may read (arguments and computed attributes).</summary>
    public IReadOnlySet<string> Readable { get; } = (schema["readable"]?.AsArray().Select(n => n!.GetValue<string>()) ?? []).ToHashSet();

    public BlockSchema Block(string name) => new(schema["blocks"]![name]!["schema"]!.AsObject());

    private static Dictionary<string, bool> Required(JsonNode? members)
        => (members?.AsObject() ?? []).ToDictionary(m => m.Key, m => m.Value!["required"]!.GetValue<bool>());
}
