using Xunit;

namespace CatWrangler.Aws.Tests.Terraform;

/// <summary>
/// infra-terraform/ against the AWS provider's published schema (via <c>@cdktf/provider-aws</c>): the checks
/// `terraform validate` would make if the provider plugin could be downloaded here.
/// </summary>
[Collection(TerraformCollection.Name)]
[Trait("Category", "Terraform")]
public sealed class TerraformSchemaTests(TerraformModuleFixture fixture) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("catwrangler-tf-schema-").FullName;

    [Fact]
    public void Module_uses_only_what_the_provider_declares()
    {
        Assert.StartsWith("5.", fixture.Schema.ProviderVersion, StringComparison.Ordinal);
        Assert.Empty(TerraformSchemaCheck.Problems(fixture.Module, fixture.Schema));
    }

    [Fact]
    public async Task Correct_snippet_has_no_problems()
    {
        var problems = await ProblemsAsync("""
            resource "aws_sqs_queue" "jobs" {
              name                       = "jobs"
              visibility_timeout_seconds = 60
            }

            resource "aws_lambda_event_source_mapping" "jobs" {
              event_source_arn = aws_sqs_queue.jobs.arn
              function_name    = "processor"

              scaling_config {
                maximum_concurrency = 2
              }
            }

            data "aws_iam_policy_document" "doc" {
              dynamic "statement" {
                for_each = [1]
                content {
                  actions   = ["sqs:SendMessage"]
                  resources = [aws_sqs_queue.jobs.arn]
                }
              }
            }

            output "url" {
              value = "${aws_sqs_queue.jobs.url} ${data.aws_iam_policy_document.doc.json}"
            }
            """);

        Assert.Empty(problems);
    }

    [Fact]
    public async Task Misspelt_argument_is_reported()
    {
        var problems = await ProblemsAsync("""
            resource "aws_sqs_queue" "jobs" {
              name                      = "jobs"
              visibility_timeout_second = 60
            }
            """);

        Assert.Equal(["aws_sqs_queue.jobs: unsupported argument or block \"visibility_timeout_second\""], problems);
    }

    [Fact]
    public async Task Misspelt_nested_block_argument_is_reported()
    {
        var problems = await ProblemsAsync("""
            data "aws_iam_policy_document" "doc" {
              statement {
                actions  = ["s3:GetObject"]
                resource = ["*"]
              }
            }
            """);

        Assert.Equal(["data.aws_iam_policy_document.doc.statement: unsupported argument or block \"resource\""], problems);
    }

    [Fact]
    public async Task Missing_required_argument_is_reported()
    {
        var problems = await ProblemsAsync("""
            resource "aws_lambda_permission" "invoke" {
              action        = "lambda:InvokeFunction"
              function_name = "bot"
            }
            """);

        Assert.Equal(["aws_lambda_permission.invoke: missing required argument \"principal\""], problems);
    }

    [Fact]
    public async Task Reference_to_a_missing_attribute_is_reported()
    {
        var problems = await ProblemsAsync("""
            resource "aws_sqs_queue" "jobs" {
              name = "jobs"
            }

            output "url" {
              value = aws_sqs_queue.jobs.queue_url
            }
            """);

        Assert.Equal(["aws_sqs_queue.jobs has no attribute \"queue_url\" (in aws_sqs_queue.jobs.queue_url)"], problems);
    }

    [Fact]
    public async Task Unknown_type_and_undeclared_resource_are_reported()
    {
        var problems = await ProblemsAsync("""
            resource "aws_sqs_queues" "jobs" {
              name = "jobs"
            }

            output "arn" {
              value = aws_sns_topic.alarms.arn
            }
            """);

        Assert.Equal(
            ["aws_sqs_queues.jobs: the provider has no resource type aws_sqs_queues", "reference to undeclared aws_sns_topic.alarms"],
            problems);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private async Task<IReadOnlyList<string>> ProblemsAsync(string hcl)
    {
        await File.WriteAllTextAsync(Path.Combine(_directory, "main.tf"), hcl, TestContext.Current.CancellationToken);
        var parsed = await Hcl2Json.ParseAsync([_directory], TestContext.Current.CancellationToken);
        Assert.True(parsed.Files is not null, parsed.Error);
        var module = new TerraformModule(parsed.Files);
        var schema = await ProviderSchema.LoadAsync(TerraformSchemaCheck.TypesUsed(module), TestContext.Current.CancellationToken);
        return TerraformSchemaCheck.Problems(module, schema);
    }
}
