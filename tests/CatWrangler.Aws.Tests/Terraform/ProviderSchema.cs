using System.Text.Json.Nodes;
using CatWrangler.TestSupport;

namespace CatWrangler.Aws.Tests.Terraform;

/// <summary>
/// The AWS provider's schema for the resource and data source types a module uses, read by the committed
/// <c>provider-schema.mjs</c> from <c>@cdktf/provider-aws</c> (HashiCorp's package generated from the provider's published
/// schema; 19.65.1 carries provider 5.99.1, inside the module's <c>~&gt; 5.80</c> constraint).
/// </summary>
public sealed class ProviderSchema(JsonObject schemas)
{
    public static NpmTool Tool { get; } = new("@cdktf/provider-aws", "19.65.1", "provider-aws");

    public static string Script { get; } = Path.Combine(RepoPaths.Root, "tests", "CatWrangler.Aws.Tests", "Terraform", "provider-schema.mjs");

    /// <summary>The provider version the schema describes.</summary>
    public string? ProviderVersion => schemas["provider"]?.GetValue<string>();

    public static async Task<ProviderSchema> LoadAsync(IEnumerable<(string Kind, string Type)> types, CancellationToken cancellationToken)
    {
        await Tool.EnsureInstalledAsync(cancellationToken);
        var result = await ProcessRunner.RunAsync(
            "node",
            [Script, Tool.InstallDirectory, .. types.Distinct().Select(t => $"{t.Kind}:{t.Type}")],
            RepoPaths.Root,
            TimeSpan.FromMinutes(2),
            cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException("provider-schema.mjs failed: " + result.StandardError);
        }

        return new ProviderSchema(JsonNode.Parse(result.StandardOutput)!.AsObject());
    }

    /// <summary>The schema of a type (<c>resource</c> or <c>data</c>), or null when the provider has no such type.</summary>
    public BlockSchema? Find(string kind, string type)
        => schemas[kind]?[type] is JsonObject schema ? new BlockSchema(schema) : null;
}
