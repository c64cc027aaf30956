using System.Text.Json.Nodes;

namespace CatWrangler.Aws.Tests.Terraform;

/// <summary>
/// A Terraform root module as Terraform sees it: every <c>.tf</c> file's hcl2json output merged into one
/// <see cref="Document"/> (<c>{"resource": {type: {name: [body]}}, "variable": {name: [body]}, "locals": [...], ...}</c>,
/// nested blocks as arrays, expressions as <c>${...}</c> strings). Terraform does not care which file holds a block, so
/// nothing here tells: a resource moved between files changes no test.
/// </summary>
public sealed class TerraformModule
{
    /// <param name="files">hcl2json's output per file; merged in file-name order.</param>
    public TerraformModule(IReadOnlyDictionary<string, JsonObject> files)
    {
        foreach (var (_, file) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            Merge(Document, file);
        }
    }

    /// <summary>The whole module; a name declared twice shows as two bodies in its array.</summary>
    public JsonObject Document { get; } = [];

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

    /// <summary>Top-level blocks without labels (<c>terraform</c>, <c>locals</c>, <c>moved</c>), in file-name order.</summary>
    public IEnumerable<JsonObject> Unlabelled(string kind) => Document[kind]?.AsArray().OfType<JsonObject>() ?? [];

    /// <summary>Every name declared as <paramref name="kind"/> (<c>variable</c>, <c>output</c>), with all its bodies.</summary>
    public IEnumerable<(string Name, IReadOnlyList<JsonObject> Bodies)> Declared(string kind)
        => (Document[kind]?.AsObject() ?? []).Select(p => (p.Key, (IReadOnlyList<JsonObject>)[.. p.Value!.AsArray().OfType<JsonObject>()]));

    /// <summary>All <c>locals</c> blocks merged.</summary>
    public JsonObject Locals()
    {
        var merged = new JsonObject();
        foreach (var block in Unlabelled("locals"))
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
        => (Document[kind]?[type]?.AsObject() ?? []).SelectMany(byName => byName.Value!.AsArray().OfType<JsonObject>().Select(body => (byName.Key, body)));

    private JsonObject? Named(string kind, string name) => Document[kind]?[name]?.AsArray().OfType<JsonObject>().FirstOrDefault();

    /// <summary>Objects merge by key (block kind, type, name); the arrays of bodies under them concatenate.</summary>
    private static void Merge(JsonObject into, JsonObject from)
    {
        foreach (var (key, value) in from)
        {
            switch (into[key], value)
            {
                case (null, _):
                    into[key] = value?.DeepClone();
                    break;
                case (JsonObject target, JsonObject source):
                    Merge(target, source);
                    break;
                case (JsonArray target, JsonArray source):
                    foreach (var item in source)
                    {
                        target.Add(item?.DeepClone());
                    }

                    break;
                default:
                    throw new InvalidOperationException($"Cannot merge \"{key}\": {into[key]!.ToJsonString()} and {value!.ToJsonString()}");
            }
        }
    }
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
