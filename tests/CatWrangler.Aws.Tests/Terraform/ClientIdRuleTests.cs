using System.Text.RegularExpressions;
using CatWrangler.Webhooks;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace CatWrangler.Aws.Tests.Terraform;

/// <summary>
/// One client-id rule in the app and in Terraform's <c>api_clients</c> validation, and every id it accepts survives
/// the trip through SSM parameter names (where infra-terraform puts clients) and environment names (how a plain process
/// is often configured) back into the configuration keys the app reads.
/// </summary>
[Collection(TerraformCollection.Name)]
[Trait("Category", "Terraform")]
public sealed class ClientIdRuleTests(TerraformModuleFixture fixture)
{
    /// <summary>Lambda's documented rule for environment variable keys.</summary>
    private static readonly Regex LambdaEnvironmentName = new("^[a-zA-Z]([a-zA-Z0-9_])+$");

    /// <summary>SSM's documented rule for parameter names: letters, digits and <c>_ . - /</c>.</summary>
    private static readonly Regex SsmParameterName = new("^[a-zA-Z0-9_.\\-/]+$");

    [Fact]
    public void Terraform_validates_client_ids_with_the_apps_rule()
    {
        var condition = fixture.Module.Variable("api_clients")!.Block("validation")!.Text("condition")!;
        Assert.Contains($"length(id) <= {ApiClientRegistry.MaxIdLength}", condition, StringComparison.Ordinal);
        Assert.Contains($"can(regex(\"{ApiClientRegistry.IdPattern}\", id))", condition, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("acme")]
    [InlineData("Acme2")]
    [InlineData("acme_corp")]
    [InlineData("a_b_c")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123")]
    public void Accepted_ids_make_parameter_and_environment_names_that_bind_back_to_the_same_keys(string id)
    {
        Assert.True(ApiClientRegistry.IsValidId(id));

        // As infra-terraform names them (local.client_settings), read back by the SSM configuration source.
        var parameter = $"/catwrangler/prod/CatWrangler/Clients/{id}/Scopes/0";
        Assert.Matches(SsmParameterName, parameter);
        var settings = new CatWrangler.Adapters.Aws.Configuration.SsmParameterSettings("/catwrangler/prod", ["CatWrangler/Clients"], [], TimeSpan.FromMinutes(1));
        Assert.Equal($"{ApiClientRegistry.Section}:{id}:Scopes:0", settings.KeyOf(parameter));

        var name = $"CatWrangler__Clients__{id}__Scopes__0";
        Assert.Matches(LambdaEnvironmentName, name);
        var prefix = $"CWIDTEST{Guid.NewGuid():N}_";
        Environment.SetEnvironmentVariable(prefix + name, "debug");
        try
        {
            var configuration = new ConfigurationBuilder().AddEnvironmentVariables(prefix).Build();
            var clients = configuration.GetSection(ApiClientRegistry.Section).GetChildren().Select(c => c.Key);
            Assert.Equal([id], clients);
            Assert.Equal("debug", configuration[$"{ApiClientRegistry.Section}:{id}:Scopes:0"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable(prefix + name, null);
        }
    }

    [Theory]
    [InlineData("acme-corp")] // '-' is not allowed in an environment name
    [InlineData("acme.corp")]
    [InlineData("_acme")]
    [InlineData("acme_")]
    [InlineData("acme__corp")] // '__' would split the id into two configuration keys
    [InlineData("acme\n")]
    [InlineData("")]
    [InlineData("01234567890123456789012345678901234567890123456789012345678901234")]
    public void Other_ids_are_rejected(string id)
    {
        Assert.False(ApiClientRegistry.IsValidId(id));
    }
}
