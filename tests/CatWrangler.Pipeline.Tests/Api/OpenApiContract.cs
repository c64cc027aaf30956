using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace CatWrangler.Pipeline.Tests.Api;

/// <summary>
/// The served OpenAPI 3.1 document as a contract: finds the schema an operation documents for a status and content type
/// and validates a body against it with an independent JSON Schema 2020-12 validator (JsonSchema.Net).
/// </summary>
public sealed class OpenApiContract
{
    private const string ComponentsPrefix = "#/components/schemas/";
    private readonly JsonObject _document;
    private readonly List<(Regex Pattern, string Template)> _paths;

    public OpenApiContract(string documentJson)
    {
        _document = JsonNode.Parse(documentJson)!.AsObject();
        _paths = [.. _document["paths"]!.AsObject().Select(p => (new Regex("^" + Regex.Replace(Regex.Escape(p.Key), @"\\\{[^/]+?}", "[^/]+") + "$"), p.Key))];
    }

    /// <summary>The documented response of an operation, or a reason it has none.</summary>
    public (JsonObject? Response, string? Problem) FindResponse(HttpMethod method, string path, int status)
    {
        var template = _paths.FirstOrDefault(p => p.Pattern.IsMatch(path)).Template;
        if (template is null)
        {
            return (null, $"no documented path matches {path}");
        }

        if (_document["paths"]![template]![method.Method.ToLowerInvariant()] is not JsonObject operation)
        {
            return (null, $"{method} {template} is not documented");
        }

        return operation["responses"]?[status.ToString()] is JsonObject response
            ? (response, null)
            : (null, $"{method} {template} documents no {status} response");
    }

    /// <summary>Validates <paramref name="body"/> against the schema of a documented response's content type; returns the errors.</summary>
    public IReadOnlyList<string> Validate(JsonObject response, string? mediaType, string body)
    {
        var content = response["content"] as JsonObject;
        if (content is null || content.Count == 0)
        {
            return body.Length == 0 ? [] : [$"the response documents no body, got {mediaType}: {body}"];
        }

        if (mediaType is null || content[mediaType]?["schema"] is not JsonNode schema)
        {
            return [$"the response documents [{string.Join(", ", content.Select(c => c.Key))}], got '{mediaType}'"];
        }

        if (schema["format"]?.GetValue<string>() == "binary")
        {
            // Bytes (an image): the media type was checked above; there is no JSON to validate.
            return body.Length == 0 ? [$"the response documents a {mediaType} body, got none"] : [];
        }

        JsonNode? instance;
        try
        {
            instance = JsonNode.Parse(body);
        }
        catch (JsonException e)
        {
            return [$"the body is not JSON ({e.Message}): {body}"];
        }

        return ValidateAgainst(schema, instance);
    }

    /// <summary>Validates against a schema of the document (refs to its components resolve).</summary>
    public IReadOnlyList<string> ValidateAgainst(JsonNode schema, JsonNode? instance)
    {
        // A standalone 2020-12 schema: the document's component schemas become $defs, the target schema the root.
        var definitions = _document["components"]?["schemas"]?.ToJsonString() ?? "{}";
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$defs"] = JsonNode.Parse(definitions.Replace(ComponentsPrefix, "#/$defs/", StringComparison.Ordinal)),
            ["allOf"] = new JsonArray(JsonNode.Parse(schema.ToJsonString().Replace(ComponentsPrefix, "#/$defs/", StringComparison.Ordinal))),
        };
        var results = JsonSchema.FromText(root.ToJsonString()).Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return results.IsValid
            ? []
            : [.. results.Details.Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}"))];
    }

    public JsonNode Schema(string component) => _document["components"]!["schemas"]![component]!;
}
