using Xunit;
using CatWrangler.TestSupport;

namespace CatWrangler.Aws.Tests.Terraform;

/// <summary>Parses infra-terraform/ (and dev.tfvars) once for every test in the collection.</summary>
public sealed class TerraformModuleFixture : IAsyncLifetime
{
    public static string ModuleDirectory { get; } = Path.Combine(RepoPaths.Root, "infra-terraform");

    public TerraformModule Module { get; private set; } = null!;

    /// <summary>The AWS provider's schema for every type the module uses.</summary>
    public ProviderSchema Schema { get; private set; } = null!;

    /// <summary>dev.tfvars parsed as HCL attributes.</summary>
    public System.Text.Json.Nodes.JsonObject DevVariables { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var module = await Hcl2Json.ParseAsync([ModuleDirectory], CancellationToken.None);
        if (module.Files is null)
        {
            throw new InvalidOperationException("infra-terraform does not parse:\n" + module.Error);
        }

        Module = new TerraformModule(module.Files);
        Schema = await ProviderSchema.LoadAsync(TerraformSchemaCheck.TypesUsed(Module), CancellationToken.None);

        var dev = await Hcl2Json.ParseAsync([Path.Combine(ModuleDirectory, "dev.tfvars")], CancellationToken.None);
        DevVariables = dev.Files?["dev.tfvars"] ?? throw new InvalidOperationException("dev.tfvars does not parse:\n" + dev.Error);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

[CollectionDefinition(Name)]
public sealed class TerraformCollection : ICollectionFixture<TerraformModuleFixture>
{
    public const string Name = "Terraform";
}
