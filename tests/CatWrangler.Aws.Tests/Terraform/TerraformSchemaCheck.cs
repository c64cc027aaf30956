using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CatWrangler.Aws.Tests.Terraform;

/// <summary>
/// What `terraform validate` would say about a module's use of the provider, without the provider plugin: every
/// resource and data source type exists, every argument and nested block is one the type declares, required ones are
/// present, and every <c>aws_x.name.attribute</c> reference names a declared resource and an attribute it has.
/// Expressions are not evaluated: a reference through a loop variable (<c>for p in aws_x.y : p.arn</c>) is not checked.
/// </summary>
public static partial class TerraformSchemaCheck
{
    /// <summary>Meta-arguments Terraform itself handles on every resource and data source.</summary>
    private static readonly HashSet<string> MetaArguments = ["count", "for_each", "depends_on", "provider", "lifecycle", "provisioner", "connection"];

    public static IEnumerable<(string Kind, string Type)> TypesUsed(TerraformModule module)
        => new[] { "resource", "data" }.SelectMany(kind => (module.Document[kind]?.AsObject() ?? []).Select(t => (kind, t.Key)));

    public static IReadOnlyList<string> Problems(TerraformModule module, ProviderSchema schema)
    {
        var problems = new List<string>();
        var declared = new HashSet<string>(StringComparer.Ordinal);
        foreach (var kind in new[] { "resource", "data" })
        {
            foreach (var (type, byName) in module.Document[kind]?.AsObject() ?? [])
            {
                var typeSchema = schema.Find(kind, type);
                foreach (var (name, bodies) in byName!.AsObject())
                {
                    var address = (kind == "data" ? "data." : string.Empty) + $"{type}.{name}";
                    declared.Add(address);
                    if (typeSchema is null)
                    {
                        problems.Add($"{address}: the provider has no {kind} type {type}");
                        continue;
                    }

                    foreach (var body in bodies!.AsArray().OfType<JsonObject>())
                    {
                        CheckBody(body, typeSchema, address, topLevel: true, problems);
                    }
                }
            }
        }

        foreach (var expression in Strings(module.Document))
        {
            foreach (Match reference in ReferencePattern().Matches(expression))
            {
                var isData = reference.Groups["data"].Success;
                var type = reference.Groups["type"].Value;
                var address = (isData ? "data." : string.Empty) + $"{type}.{reference.Groups["name"].Value}";
                var attribute = reference.Groups["attribute"].Value;
                if (!declared.Contains(address))
                {
                    problems.Add($"reference to undeclared {address}");
                }
                else if (schema.Find(isData ? "data" : "resource", type) is { } target && !target.Readable.Contains(attribute))
                {
                    problems.Add($"{address} has no attribute \"{attribute}\" (in {reference.Value})");
                }
            }
        }

        return problems;
    }

    private static void CheckBody(JsonObject body, BlockSchema schema, string path, bool topLevel, List<string> problems)
    {
        var dynamicBlocks = body["dynamic"]?.AsObject() ?? [];
        foreach (var (key, value) in body)
        {
            if ((topLevel && MetaArguments.Contains(key)) || key == "dynamic")
            {
                continue;
            }

            if (schema.Arguments.ContainsKey(key))
            {
                continue;
            }

            if (schema.Blocks.ContainsKey(key) && value is JsonArray blocks)
            {
                foreach (var block in blocks.OfType<JsonObject>())
                {
                    CheckBody(block, schema.Block(key), $"{path}.{key}", topLevel: false, problems);
                }

                continue;
            }

            problems.Add($"{path}: unsupported argument or block \"{key}\"");
        }

        foreach (var (key, generators) in dynamicBlocks)
        {
            if (!schema.Blocks.ContainsKey(key))
            {
                problems.Add($"{path}: dynamic \"{key}\": no such block");
                continue;
            }

            foreach (var content in generators!.AsArray().OfType<JsonObject>().SelectMany(g => g.Blocks("content")))
            {
                CheckBody(content, schema.Block(key), $"{path}.dynamic.{key}", topLevel: false, problems);
            }
        }

        foreach (var (argument, required) in schema.Arguments)
        {
            if (required && !body.ContainsKey(argument))
            {
                problems.Add($"{path}: missing required argument \"{argument}\"");
            }
        }

        foreach (var (block, required) in schema.Blocks)
        {
            if (required && !body.ContainsKey(block) && !dynamicBlocks.ContainsKey(block))
            {
                problems.Add($"{path}: missing required block \"{block}\"");
            }
        }
    }

    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => Strings(p.Value)),
        JsonArray a => a.SelectMany(Strings),
        JsonValue v when v.TryGetValue<string>(out var s) => [s],
        _ => [],
    };

    /// <summary><c>aws_x.name.attr</c>, <c>aws_x.name["key"].attr</c>, <c>data.aws_x.name.attr</c> inside an expression.</summary>
    [GeneratedRegex("""(?<![\w.])(?<data>data\.)?(?<type>aws_\w+)\.(?<name>\w+)(?:\[[^\]]*\])?\.(?<attribute>\w+)""")]
    private static partial Regex ReferencePattern();
}
