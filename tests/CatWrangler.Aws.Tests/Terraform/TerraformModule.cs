using System.Text.Json.Nodes;

namespace CatWrangler.Aws.Tests.Terraform;

/// <summary>
/// A Terraform root module as hcl2json sees it: <c>{"resource": {type: {name: [body]}}, "variable": {name: [body]}, ...}</c>
/// per file, with nested blocks as arrays and expressions as <c>${...}</c> strings.
/// </summary>
public sealed class TerraformModule(IReadOnlyDictionary<string, JsonObject> files)
{
    public IReadOnlyDictionary<string, JsonObject> Files { get; } = files;

    public IEnumerable<(string Name, JsonObject Body)> Resources(string type) => Blocks("resource", type);

    public IEnumerable<(string Name, JsonObject Body)> DataSources(string type) => Blocks("data", type);

    public JsonObject Resource(string type, string name)
        => Resources(type).SingleOrDefault(r => r.Name == name).Body
            ?? throw new Xunit.Sdk.XunitException($"resource {type}.{name} not found");

    public JsonObject DataSource(string type, string name)
        => DataSources(type).SingleOrDefault(r => r.Name == name).Body
            ?? throw new Xunit.Sdk.XunitException($"data {type}.{name} not found");

    public JsonObject? Variable(string name) => Named("variable", name);

    public JsonObject? Output(string name) => Named("output", name);

    /// <summary>All <c>locals</c> blocks merged.</summary>
    public JsonObject Locals()
    {
        var merged = new JsonObject();
        foreach (var block in Files.Values.SelectMany(f => f["locals"]?.AsArray() ?? []).OfType<JsonObject>())
        {
            foreach (var (key, value) in block)
            {
                merged[key] = value?.DeepClone();
            }
        }

        return merged;
    }

    /// <summary>
    /// A <c>for_each</c> resource's body as one instance sees it: <c>each.key</c> replaced by the quoted key, so
    /// <c>aws_iam_role.function[each.key]</c> reads <c>aws_iam_role.function["bot"]</c>.
    /// </summary>
    public static JsonObject Instance(JsonObject body, string key)
        => JsonNode.Parse(body.ToJsonString().Replace("each.key", $"\\\"{key}\\\"", StringComparison.Ordinal))!.AsObject();

    /// <summary>
    /// The statements of an <c>aws_iam_policy_document</c> including those of its <c>source_policy_documents</c>
    /// (<c>data.aws_iam_policy_document.NAME.json</c> or <c>NAME["key"].json</c>, the latter read as that instance).
    /// </summary>
    public IEnumerable<JsonObject> PolicyStatements(JsonObject policyDocument)
    {
        var sources = policyDocument.Strings("source_policy_documents")
            .Select(s => System.Text.RegularExpressions.Regex.Match(s, @"^\$\{data\.aws_iam_policy_document\.(\w+)(?:\[""(\w+)""\])?\.json\}$"))
            .ToList();
        Xunit.Assert.All(sources, s => Xunit.Assert.True(s.Success, $"source_policy_documents must name policy documents: {s.Value}"));
        return policyDocument.Statements().Concat(sources.SelectMany(s =>
        {
            var source = DataSource("aws_iam_policy_document", s.Groups[1].Value);
            return PolicyStatements(s.Groups[2].Success ? Instance(source, s.Groups[2].Value) : source);
        }));
    }

    private IEnumerable<(string Name, JsonObject Body)> Blocks(string kind, string type)
    {
        foreach (var file in Files.Values)
        {
            if (file[kind]?[type] is not JsonObject byName)
            {
                continue;
            }

            foreach (var (name, bodies) in byName)
            {
                foreach (var body in bodies!.AsArray().OfType<JsonObject>())
                {
                    yield return (name, body);
                }
            }
        }
    }

    private JsonObject? Named(string kind, string name)
        => Files.Values.Select(f => f[kind]?[name]?.AsArray().OfType<JsonObject>().FirstOrDefault()).FirstOrDefault(b => b is not null);
}

/// <summary>Small readers for hcl2json bodies.</summary>
public static class Hcl
{
    /// <summary>The first nested block called <paramref name="name"/>, or null.</summary>
    public static JsonObject? Block(this JsonObject body, string name) => body[name]?.AsArray().OfType<JsonObject>().FirstOrDefault();

    public static IEnumerable<JsonObject> Blocks(this JsonObject body, string name) => body[name]?.AsArray().OfType<JsonObject>() ?? [];

    /// <summary>The generators of <c>dynamic "name"</c> blocks (each with <c>for_each</c> and a <c>content</c> block).</summary>
    public static IEnumerable<JsonObject> DynamicBlocks(this JsonObject body, string name) => body["dynamic"]?[name]?.AsArray().OfType<JsonObject>() ?? [];

    /// <summary>An attribute as text: literals as written, expressions as <c>${...}</c>.</summary>
    public static string? Text(this JsonObject body, string name) => body[name] switch
    {
        null => null,
        JsonValue value => value.ToString(),
        var other => other.ToJsonString(),
    };

    public static IReadOnlyList<string> Strings(this JsonObject body, string name)
        => body[name] is JsonArray array ? [.. array.Select(v => v!.ToString())] : body.Text(name) is { } single ? [single] : [];

    public static bool IsTrue(this JsonObject body, string name) => body[name] is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    /// <summary>The policy statements of an <c>aws_iam_policy_document</c>, including <c>dynamic "statement"</c> contents.</summary>
    public static IEnumerable<JsonObject> Statements(this JsonObject policyDocument)
        => policyDocument.Blocks("statement")
            .Concat(policyDocument.DynamicBlocks("statement").SelectMany(d => d.Blocks("content")));
}
