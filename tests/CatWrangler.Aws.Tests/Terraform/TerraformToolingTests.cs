using Xunit;

namespace CatWrangler.Aws.Tests.Terraform;

/// <summary>The parser the structure tests rely on, and `terraform fmt` where a terraform binary exists.</summary>
[Trait("Category", "Terraform")]
public sealed class TerraformToolingTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("catwrangler-tf-").FullName;

    [Fact]
    public async Task Invalid_hcl_fails_with_file_and_position()
    {
        File.WriteAllText(Path.Combine(_directory, "good.tf"), "variable \"x\" {\n  type = string\n}\n");
        File.WriteAllText(Path.Combine(_directory, "broken.tf"), "resource \"aws_sqs_queue\" \"q\" {\n  name = = \"jobs\"\n}\n");

        var result = await Hcl2Json.ParseAsync([_directory], TestContext.Current.CancellationToken);

        Assert.Null(result.Files);
        Assert.Contains("broken.tf:2,", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("good.tf", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_module_reads_the_same_whichever_file_holds_each_block()
    {
        // Terraform merges a folder's .tf files, and so does TerraformModule: the whole module in one file is the same module.
        var files = Directory.GetFiles(TerraformModuleFixture.ModuleDirectory, "*.tf").Order(StringComparer.Ordinal).ToList();
        Assert.True(files.Count > 1, "infra-terraform should be split into several files for this check to mean anything");
        File.WriteAllText(Path.Combine(_directory, "everything.tf"), string.Join('\n', files.Select(File.ReadAllText)));

        var split = await Hcl2Json.ParseAsync([TerraformModuleFixture.ModuleDirectory], TestContext.Current.CancellationToken);
        var joined = await Hcl2Json.ParseAsync([_directory], TestContext.Current.CancellationToken);

        var module = new TerraformModule(split.Files!);
        Assert.NotEmpty(module.Resources("aws_lambda_function"));
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(module.Document, new TerraformModule(joined.Files!).Document));
    }

    [Fact]
    public async Task Unclosed_block_fails()
    {
        File.WriteAllText(Path.Combine(_directory, "unclosed.tf"), "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\"\n");

        var result = await Hcl2Json.ParseAsync([_directory], TestContext.Current.CancellationToken);

        Assert.Null(result.Files);
        Assert.Contains("Unclosed configuration block", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Valid_hcl_keeps_blocks_as_arrays_and_expressions_as_interpolations()
    {
        File.WriteAllText(Path.Combine(_directory, "ok.tf"), "resource \"aws_sqs_queue\" \"q\" {\n  name = \"${var.prefix}-jobs\"\n  delay_seconds = 5\n}\n");

        var result = await Hcl2Json.ParseAsync([_directory], TestContext.Current.CancellationToken);

        var queue = Assert.Single(new TerraformModule(result.Files!).Resources("aws_sqs_queue"));
        Assert.Equal("q", queue.Name);
        Assert.Equal("${var.prefix}-jobs", queue.Body.Text("name"));
        Assert.Equal(5, queue.Body["delay_seconds"]!.GetValue<int>());
    }

    [Fact]
    public async Task Terraform_files_are_formatted()
    {
        var terraform = ProcessRunner.FindOnPath("terraform");
        if (terraform is null)
        {
            Assert.Skip("no terraform binary on PATH: `terraform fmt -check` skipped (the structure tests still ran).");
        }

        var result = await ProcessRunner.RunAsync(
            terraform!,
            ["fmt", "-check", "-recursive", "-diff", TerraformModuleFixture.ModuleDirectory],
            TerraformModuleFixture.ModuleDirectory,
            TimeSpan.FromMinutes(1),
            TestContext.Current.CancellationToken);

        Assert.True(result.ExitCode == 0, $"terraform fmt -check -recursive failed; run `terraform fmt -recursive infra-terraform`:\n{result.StandardOutput}{result.StandardError}");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
