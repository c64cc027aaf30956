using Xunit;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CatWrangler.Aws.Tests.Terraform;

/// <summary>
/// Structure checks on infra-terraform/. Provider plugins cannot be downloaded here, so `terraform validate`/`plan`
/// are impossible; these assertions stand in for the parts of a review that a parser can do.
/// </summary>
[Collection(TerraformCollection.Name)]
[Trait("Category", "Terraform")]
public sealed partial class TerraformStructureTests(TerraformModuleFixture fixture)
{
    private static readonly string[] FunctionNames = ["bot", "webhooks", "processor"];

    /// <summary>Actions that have no resource-level permissions, so "*" is the only possible resource.</summary>
    private static readonly HashSet<string> ActionsWithoutResourceLevelPermissions = ["rekognition:DetectLabels"];

    private TerraformModule Module => fixture.Module;

    [Fact]
    public void Module_is_split_by_concern()
    {
        string[] expected = ["versions.tf", "variables.tf", "api.tf", "functions.tf", "queue.tf", "storage.tf", "table.tf", "secrets.tf", "iam.tf", "alarms.tf", "outputs.tf"];
        Assert.Subset(Module.Files.Keys.ToHashSet(), expected.ToHashSet());

        Assert.Equal(["queue.tf"], Module.FilesDeclaring("resource", "aws_sqs_queue"));
        Assert.Equal(["table.tf"], Module.FilesDeclaring("resource", "aws_dynamodb_table"));
        Assert.Equal(["functions.tf"], Module.FilesDeclaring("resource", "aws_lambda_function"));
        Assert.Equal(["iam.tf"], Module.FilesDeclaring("resource", "aws_iam_role"));
        Assert.Equal(["alarms.tf"], Module.FilesDeclaring("resource", "aws_cloudwatch_metric_alarm"));
        Assert.Equal(["secrets.tf"], Module.FilesDeclaring("resource", "aws_ssm_parameter"));
        Assert.Equal(["api.tf"], Module.FilesDeclaring("resource", "aws_apigatewayv2_route"));
        Assert.All(Module.Files.Where(f => f.Key != "variables.tf"), f => Assert.Null(f.Value["variable"]));
        Assert.All(Module.Files.Where(f => f.Key != "outputs.tf"), f => Assert.Null(f.Value["output"]));

        var aws = Module.Files["versions.tf"]["terraform"]!.AsArray()[0]!.AsObject().Block("required_providers")!["aws"]!.AsObject();
        Assert.Equal("hashicorp/aws", aws.Text("source"));
        Assert.NotNull(aws.Text("version"));
    }

    [Fact]
    public void Every_function_has_its_own_least_privilege_role()
    {
        var functions = Module.Resources("aws_lambda_function").ToDictionary(f => f.Name, f => f.Body);
        Assert.Equal(FunctionNames.Order(), functions.Keys.Order());

        var roles = new HashSet<string>();
        foreach (var (name, function) in functions)
        {
            var role = RoleName().Match(function.Text("role") ?? string.Empty);
            Assert.True(role.Success, $"{name}: role must be an aws_iam_role's arn, not {function.Text("role")}");
            Assert.True(roles.Add(role.Groups[1].Value), $"{name} shares role {role.Groups[1].Value} with another function");

            var roleBody = Module.Resource("aws_iam_role", role.Groups[1].Value);
            var assume = Reference(roleBody.Text("assume_role_policy"), "data.aws_iam_policy_document.", ".json");
            var principals = Module.DataSource("aws_iam_policy_document", assume).Statements().SelectMany(s => s.Blocks("principals"));
            Assert.Equal(["lambda.amazonaws.com"], principals.SelectMany(p => p.Strings("identifiers")));

            var policies = Module.Resources("aws_iam_role_policy")
                .Where(p => p.Body.Text("role") == $"${{aws_iam_role.{role.Groups[1].Value}.id}}")
                .ToList();
            Assert.True(policies.Count == 1, $"{name}: expected one inline policy on its role, found {policies.Count}");
            var document = Module.DataSource("aws_iam_policy_document", Reference(policies[0].Body.Text("policy"), "data.aws_iam_policy_document.", ".json"));
            Assert.Contains(document.Statements(), s => s.Strings("actions").Contains("logs:PutLogEvents")
                && s.Strings("resources").Single().Contains($"aws_cloudwatch_log_group.function[\"{name}\"]", StringComparison.Ordinal));
        }

        Assert.Empty(Module.Resources("aws_iam_role_policy_attachment"));
        Assert.Empty(Module.Resources("aws_iam_policy_attachment"));
    }

    [Fact]
    public void No_allow_statement_uses_wildcard_actions_or_resources_on_data()
    {
        var documents = Module.DataSources("aws_iam_policy_document").ToList();
        Assert.NotEmpty(documents);
        foreach (var (name, document) in documents)
        {
            foreach (var statement in document.Statements().Where(s => (s.Text("effect") ?? "Allow") == "Allow"))
            {
                var actions = statement.Strings("actions");
                Assert.NotEmpty(actions);
                Assert.All(actions, a => Assert.False(a.Contains('*'), $"{name}: wildcard action {a}"));
                Assert.Empty(statement.Strings("not_actions"));

                var resources = statement.Strings("resources");
                if (resources.Contains("*"))
                {
                    Assert.All(actions, a => Assert.Contains(a, ActionsWithoutResourceLevelPermissions));
                }
            }
        }

        // The data resources are reached through their own ARNs.
        Assert.Contains(documents, d => d.Body.Statements().Any(s => s.Strings("resources").Contains("${aws_s3_bucket.images.arn}/*")));
        Assert.Contains(documents, d => d.Body.Statements().Any(s => s.Text("resources") == "${local.table_arns}"));
        Assert.Contains("aws_dynamodb_table.scans.arn", Module.Locals().Text("table_arns"), StringComparison.Ordinal);

        // Inline policies come from those documents, never from hand-written JSON that the checks above cannot see.
        Assert.All(Module.Resources("aws_iam_role_policy"), p => Assert.Matches(@"^\$\{data\.aws_iam_policy_document\.\w+\.json\}$", p.Body.Text("policy")));
    }

    [Fact]
    public void Only_the_processor_reads_the_queue_and_only_producers_send()
    {
        var processor = Policy("processor");
        Assert.Contains(processor.Statements(), s => s.Strings("actions").Contains("sqs:ReceiveMessage") && s.Strings("actions").Contains("sqs:DeleteMessage"));
        foreach (var producer in new[] { "bot", "webhooks" })
        {
            var actions = Policy(producer).Statements().SelectMany(s => s.Strings("actions")).ToList();
            Assert.Contains("sqs:SendMessage", actions);
            Assert.DoesNotContain("sqs:ReceiveMessage", actions);
            Assert.DoesNotContain("sqs:DeleteMessage", actions);
        }

        // The bot never touches image bytes (the processor downloads Slack files).
        Assert.DoesNotContain(Policy("bot").Statements().SelectMany(s => s.Strings("actions")), a => a.StartsWith("s3:", StringComparison.Ordinal));
    }

    [Fact]
    public void Dead_letter_queue_is_wired_with_max_receive_count()
    {
        var jobs = Module.Resource("aws_sqs_queue", "jobs");
        var redrive = jobs.Text("redrive_policy") ?? string.Empty;
        Assert.Matches(@"deadLetterTargetArn\s*=\s*aws_sqs_queue\.dlq\.arn", redrive);
        var maxReceive = Regex.Match(redrive, @"maxReceiveCount\s*=\s*var\.(\w+)");
        Assert.True(maxReceive.Success, "redrive_policy must set maxReceiveCount from a variable: " + redrive);
        var limit = Module.Variable(maxReceive.Groups[1].Value)!["default"]!.GetValue<int>();
        Assert.InRange(limit, 2, 20);

        var dlq = Module.Resource("aws_sqs_queue", "dlq");
        Assert.Null(dlq.Text("redrive_policy"));
        Assert.True(dlq["message_retention_seconds"]!.GetValue<int>() >= jobs["message_retention_seconds"]!.GetValue<int>(),
            "the DLQ must keep messages at least as long as the source queue (their age carries over)");
        Assert.All(new[] { jobs, dlq }, q => Assert.True(q.IsTrue("sqs_managed_sse_enabled")));

        Assert.Contains("aws_sqs_queue.jobs.arn", Module.Resource("aws_sqs_queue_redrive_allow_policy", "dlq").Text("redrive_allow_policy"), StringComparison.Ordinal);

        // Visibility must outlast an invocation or SQS redelivers batches still being processed.
        Assert.Matches(@"^\$\{\d+ \* var\.processor_timeout_seconds\}$", jobs.Text("visibility_timeout_seconds"));
    }

    [Fact]
    public void Processor_consumes_the_queue_with_partial_batch_failures()
    {
        var mappings = Module.Resources("aws_lambda_event_source_mapping").ToList();
        var mapping = Assert.Single(mappings).Body;
        Assert.Equal("${aws_sqs_queue.jobs.arn}", mapping.Text("event_source_arn"));
        Assert.Equal("${aws_lambda_function.processor.arn}", mapping.Text("function_name"));
        Assert.Equal(["ReportBatchItemFailures"], mapping.Strings("function_response_types"));
        Assert.NotNull(mapping.Block("scaling_config")?.Text("maximum_concurrency"));

        var environment = Environment("processor");
        Assert.Equal("/events", environment.Text("AWS_LWA_PASS_THROUGH_PATH"));
    }

    [Fact]
    public void Functions_run_on_provided_al2023_with_the_pinned_web_adapter_layer()
    {
        var layer = Module.Variable("lambda_adapter_layer_arn")!;
        Assert.Null(layer["default"]);
        var pattern = layer.Block("validation")!.Text("condition")!;
        Assert.Contains("LambdaAdapterLayerX86:[0-9]+$", pattern, StringComparison.Ordinal);
        Assert.Matches(@"^arn:aws:lambda:[a-z0-9-]+:753240598075:layer:LambdaAdapterLayerX86:\d+$", fixture.DevVariables.Text("lambda_adapter_layer_arn"));

        foreach (var (name, function) in Module.Resources("aws_lambda_function"))
        {
            Assert.Equal("provided.al2023", function.Text("runtime"));
            Assert.Equal("bootstrap", function.Text("handler"));
            Assert.Equal(["x86_64"], function.Strings("architectures"));
            Assert.Equal(["${var.lambda_adapter_layer_arn}"], function.Strings("layers"));
            Assert.Equal($"${{var.{name}_reserved_concurrency}}", function.Text("reserved_concurrent_executions"));
            Assert.Equal($"${{var.{name}_memory_mb}}", function.Text("memory_size"));
            Assert.Equal($"${{aws_s3_object.package[\"{name}\"].version_id}}", function.Text("s3_object_version"));
            Assert.Equal($"${{aws_cloudwatch_log_group.function[\"{name}\"].name}}", function.Block("logging_config")!.Text("log_group"));
            Assert.NotNull(Module.Variable($"{name}_reserved_concurrency"));

            var environment = Environment(name);
            Assert.Equal("aws", environment.Text("CatWrangler__Platform"));
            Assert.Equal("/healthz", environment.Text("AWS_LWA_READINESS_CHECK_PATH"));
            Assert.Equal("8080", environment.Text("AWS_LWA_PORT"));
            Assert.EndsWith(":8080", environment.Text("ASPNETCORE_URLS"), StringComparison.Ordinal);
            Assert.Equal("${aws_s3_bucket.images.id}", environment.Text("CatWrangler__Aws__BucketName"));
            Assert.Equal("${aws_dynamodb_table.scans.name}", environment.Text("CatWrangler__Aws__TableName"));
            Assert.Equal("${aws_sqs_queue.jobs.url}", environment.Text("CatWrangler__Aws__QueueUrl"));
            Assert.NotNull(environment.Text("CatWrangler__Aws__ParameterPrefix"));
            Assert.Equal(name == "processor" ? "/var/task/models" : null, environment.Text("CatWrangler__Detector__ModelDirectory"));
            Assert.All(environment.Select(e => e.Key), key => Assert.Matches("^(AWS_LWA_|ASPNETCORE_|DOTNET_|CatWrangler__[A-Za-z]+)", key));
        }

        var logGroups = Module.Resource("aws_cloudwatch_log_group", "function");
        Assert.Equal("${local.functions}", logGroups.Text("for_each"));
        Assert.Equal("${var.log_retention_days}", logGroups.Text("retention_in_days"));
        Assert.Equal(FunctionNames.Order(), Module.Locals()["functions"]!.AsObject().Select(f => f.Key).Order());
    }

    [Fact]
    public void Scans_table_is_on_demand_with_ttl_pitr_and_a_recent_scans_index()
    {
        var table = Module.Resource("aws_dynamodb_table", "scans");
        Assert.Equal("PAY_PER_REQUEST", table.Text("billing_mode"));
        var ttl = table.Block("ttl")!;
        Assert.Equal("expiresAt", ttl.Text("attribute_name"));
        Assert.True(ttl.IsTrue("enabled"));
        Assert.True(table.Block("point_in_time_recovery")!.IsTrue("enabled"));

        var index = Assert.Single(table.Blocks("global_secondary_index"));
        Assert.Equal("gsi1", index.Text("name"));

        // DynamoDB rejects attribute definitions that no key uses, and keys must be defined: plan would fail either way.
        var defined = table.Blocks("attribute").Select(a => a.Text("name")!).Order().ToList();
        var keys = new[] { table.Text("hash_key"), table.Text("range_key"), index.Text("hash_key"), index.Text("range_key") }.OfType<string>().Order().ToList();
        Assert.Equal(keys, defined);

        // The functions may query the index, and only this table.
        Assert.Contains("/index/gsi1", Module.Locals().Text("table_arns"), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_bucket_blocks_public_access_is_encrypted_and_requires_tls()
    {
        var buckets = Module.Resources("aws_s3_bucket").Select(b => b.Name).ToList();
        Assert.Contains("images", buckets);
        foreach (var bucket in buckets)
        {
            var reference = $"${{aws_s3_bucket.{bucket}.id}}";
            var block = Module.Resources("aws_s3_bucket_public_access_block").Single(p => p.Body.Text("bucket") == reference).Body;
            Assert.All(new[] { "block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets" }, flag => Assert.True(block.IsTrue(flag), $"{bucket}: {flag}"));

            var sse = Module.Resources("aws_s3_bucket_server_side_encryption_configuration").Single(p => p.Body.Text("bucket") == reference).Body;
            Assert.Contains(sse.Block("rule")!.Block("apply_server_side_encryption_by_default")!.Text("sse_algorithm"), new[] { "AES256", "aws:kms", "aws:kms:dsse" });

            Assert.Equal("BucketOwnerEnforced", Module.Resources("aws_s3_bucket_ownership_controls").Single(p => p.Body.Text("bucket") == reference).Body.Block("rule")!.Text("object_ownership"));

            var policy = Module.Resources("aws_s3_bucket_policy").Single(p => p.Body.Text("bucket") == reference).Body;
            var document = Module.DataSource("aws_iam_policy_document", Reference(policy.Text("policy"), "data.aws_iam_policy_document.", ".json"));
            Assert.Contains(document.Statements(), s => s.Text("effect") == "Deny"
                && s.Blocks("condition").Any(c => c.Text("variable") == "aws:SecureTransport" && c.Strings("values").SequenceEqual(["false"])));

            Assert.Single(Module.Resources("aws_s3_bucket_lifecycle_configuration"), p => p.Body.Text("bucket") == reference);
        }

        var images = Module.Resources("aws_s3_bucket_lifecycle_configuration").Single(p => p.Body.Text("bucket") == "${aws_s3_bucket.images.id}").Body;
        Assert.Equal("${var.retention_days}", images.Block("rule")!.Block("expiration")!.Text("days"));
        Assert.Empty(Module.Resources("aws_s3_bucket_acl"));
    }

    [Fact]
    public void Secrets_are_secure_strings_whose_values_are_set_out_of_band()
    {
        var parameters = Module.Resources("aws_ssm_parameter").ToList();
        Assert.Contains(parameters, p => p.Name == "slack");
        Assert.Contains(parameters, p => p.Name == "client_secret");
        foreach (var (name, parameter) in parameters)
        {
            Assert.Equal("SecureString", parameter.Text("type"));
            Assert.Contains("value", parameter.Block("lifecycle")!.Strings("ignore_changes").Select(s => s.Trim('$', '{', '}')));
            Assert.DoesNotContain("var.", parameter.Text("value") ?? string.Empty, StringComparison.Ordinal);
        }

        // Parameter names follow configuration keys (':' becomes '/') so ISecretStore keys map one to one.
        var keys = Module.Locals()["slack_secret_keys"]!.AsObject();
        Assert.Equal("CatWrangler/Slack/SigningSecret", keys["slack_signing_secret"]!.ToString());
        Assert.Equal("CatWrangler/Slack/BotToken", keys["slack_bot_token"]!.ToString());
    }

    [Fact]
    public void Alarms_cover_the_dead_letter_queue_function_errors_and_throttles()
    {
        var alarms = Module.Resources("aws_cloudwatch_metric_alarm").ToDictionary(a => a.Name, a => a.Body);

        var dlq = alarms.Values.Single(a => a.Text("metric_name") == "ApproximateNumberOfMessagesVisible");
        Assert.Equal("AWS/SQS", dlq.Text("namespace"));
        Assert.Contains("aws_sqs_queue.dlq.name", dlq.Text("dimensions"), StringComparison.Ordinal);
        Assert.Equal(0, dlq["threshold"]!.GetValue<int>());
        Assert.Equal("GreaterThanThreshold", dlq.Text("comparison_operator"));

        foreach (var metric in new[] { "Errors", "Throttles" })
        {
            var alarm = alarms.Values.Single(a => a.Text("metric_name") == metric);
            Assert.Equal("AWS/Lambda", alarm.Text("namespace"));
            Assert.Equal("${local.functions}", alarm.Text("for_each"));
            Assert.Contains("each.key", alarm.Text("dimensions"), StringComparison.Ordinal);
        }

        Assert.All(alarms, a => Assert.Equal(["${aws_sns_topic.alarms.arn}"], a.Value.Strings("alarm_actions")));

        // CloudWatch cannot publish to a topic encrypted with the AWS-managed aws/sns key: the alarms would never arrive.
        Assert.NotEqual("alias/aws/sns", Module.Resource("aws_sns_topic", "alarms").Text("kms_master_key_id"));
    }

    [Theory]
    [InlineData("POST /slack/events", "bot")]
    [InlineData("POST /slack/commands", "bot")]
    [InlineData("ANY /v1/{proxy+}", "webhooks")]
    [InlineData("GET /healthz", "webhooks")]
    public void Api_routes_reach_the_right_function(string routeKey, string function)
    {
        var route = Module.Resources("aws_apigatewayv2_route").Single(r => r.Body.Text("route_key") == routeKey).Body;
        var integration = Module.Resource("aws_apigatewayv2_integration", Reference(route.Text("target"), "aws_apigatewayv2_integration.", ".id", "integrations/"));
        Assert.Equal($"${{aws_lambda_function.{function}.invoke_arn}}", integration.Text("integration_uri"));
        Assert.Equal("AWS_PROXY", integration.Text("integration_type"));
        Assert.Equal("2.0", integration.Text("payload_format_version"));

        Assert.Contains(Module.Resources("aws_lambda_permission"), p => p.Body.Text("function_name") == $"${{aws_lambda_function.{function}.function_name}}"
            && p.Body.Text("principal") == "apigateway.amazonaws.com"
            && (p.Body.Text("source_arn") ?? string.Empty).StartsWith("${aws_apigatewayv2_api.http.execution_arn}", StringComparison.Ordinal));
    }

    [Fact]
    public void Processor_is_not_reachable_over_http()
    {
        Assert.DoesNotContain(Module.Resources("aws_apigatewayv2_integration"), i => (i.Body.Text("integration_uri") ?? string.Empty).Contains("processor", StringComparison.Ordinal));
        Assert.DoesNotContain(Module.Resources("aws_lambda_permission"), p => (p.Body.Text("function_name") ?? string.Empty).Contains("processor", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("slack_events_url", "/slack/events")]
    [InlineData("slack_commands_url", "/slack/commands")]
    [InlineData("scan_api_url", "/v1")]
    public void Outputs_give_the_urls_for_slack_and_api_clients(string output, string suffix)
    {
        var value = Module.Output(output)?.Text("value");
        Assert.NotNull(value);
        Assert.StartsWith("${trimsuffix(aws_apigatewayv2_stage.default.invoke_url", value, StringComparison.Ordinal);
        Assert.EndsWith(suffix, value, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bot", "CatWrangler__Aws__BucketName", typeof(CatWrangler.Adapters.Aws.AwsOptions))]
    [InlineData("bot", "CatWrangler__Aws__TableName", typeof(CatWrangler.Adapters.Aws.AwsOptions))]
    [InlineData("bot", "CatWrangler__Aws__QueueUrl", typeof(CatWrangler.Adapters.Aws.AwsOptions))]
    [InlineData("bot", "CatWrangler__Aws__ParameterPrefix", typeof(CatWrangler.Adapters.Aws.AwsOptions))]
    [InlineData("bot", "CatWrangler__Platform", typeof(CatWrangler.Core.CatWranglerOptions))]
    [InlineData("bot", "CatWrangler__Retention", typeof(CatWrangler.Core.CatWranglerOptions))]
    [InlineData("processor", "CatWrangler__Detector__Kind", typeof(CatWrangler.Core.DetectorOptions))]
    [InlineData("processor", "CatWrangler__Detector__ModelDirectory", typeof(CatWrangler.Detection.Onnx.OnnxDetectorOptions))]
    [InlineData("webhooks", "CatWrangler__Limits__MaxBytes", typeof(CatWrangler.Core.Images.ImageLimits))]
    [InlineData("processor", "CatWrangler__Aws__Rekognition__MinConfidence", typeof(CatWrangler.Adapters.Aws.RekognitionOptions))]
    public void Environment_names_bind_to_the_options_the_hosts_read(string function, string variable, Type options)
    {
        Assert.NotNull(Environment(function).Text(variable));

        var segments = variable.Split("__");
        var section = (string)options.GetField("Section")!.GetValue(null)!;
        Assert.Equal(section, string.Join(':', segments[..^1]));
        Assert.NotNull(options.GetProperty(segments[^1]));
    }

    [Fact]
    public void Values_that_must_agree_with_the_code_do()
    {
        // The Web Adapter posts SQS batches to this path; the processor must map the same one.
        Assert.Equal(CatWrangler.Processor.Sqs.SqsEventsEndpoint.Path, Environment("processor").Text("AWS_LWA_PASS_THROUGH_PATH"));

        // CatWrangler:Retention is a TimeSpan: "<days>.00:00:00" must parse as that many days.
        var retention = Environment("bot").Text("CatWrangler__Retention")!.Replace("${var.retention_days}", "30", StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromDays(30), TimeSpan.Parse(retention, System.Globalization.CultureInfo.InvariantCulture));

        // Index name used by the scan store's "recent scans" query.
        Assert.Equal(CatWrangler.Adapters.Aws.DynamoScanStore.RecentIndexName, Assert.Single(Module.Resource("aws_dynamodb_table", "scans").Blocks("global_secondary_index")).Text("name"));

        // SSM parameter names follow the secret store's mapping of configuration keys.
        Assert.Equal(
            CatWrangler.Adapters.Aws.SsmSecretStore.ParameterName("/p", "CatWrangler:Slack:BotToken"),
            "/p/" + Module.Locals()["slack_secret_keys"]!["slack_bot_token"]!.ToString());
    }

    [Fact]
    public void Every_variable_is_described_typed_and_used()
    {
        var text = string.Join('\n', Module.Files.Where(f => f.Key != "variables.tf").Select(f => f.Value.ToJsonString()));
        var variables = Module.Files["variables.tf"]["variable"]!.AsObject();
        foreach (var (name, body) in variables)
        {
            var variable = body!.AsArray()[0]!.AsObject();
            Assert.False(string.IsNullOrWhiteSpace(variable.Text("type")), $"variable {name} has no type");
            Assert.False(string.IsNullOrWhiteSpace(variable.Text("description")), $"variable {name} has no description");
            Assert.Contains($"var.{name}", text, StringComparison.Ordinal);
        }

        // dev.tfvars only sets variables that exist.
        Assert.All(fixture.DevVariables.Select(v => v.Key), key => Assert.True(variables.ContainsKey(key), $"dev.tfvars sets unknown variable {key}"));
    }

    private JsonObject Environment(string function)
    {
        // environment { variables = merge(local.a, local.b, {...}) }: collect the keys of every local and literal merged in.
        var variables = Module.Resource("aws_lambda_function", function).Block("environment")!.Text("variables")!;
        var locals = Module.Locals();
        var merged = new JsonObject();
        foreach (Match local in Regex.Matches(variables, @"local\.(\w+)"))
        {
            foreach (var (key, value) in LiteralMap(locals[local.Groups[1].Value]))
            {
                merged[key] = value;
            }
        }

        foreach (Match pair in Regex.Matches(variables, @"\b([A-Za-z_][A-Za-z0-9_]*)\s*=(?![=>])\s*(""[^""]*""|[^\s,}]+)"))
        {
            merged[pair.Groups[1].Value] = pair.Groups[2].Value.Trim('"') is var v && pair.Groups[2].Value.StartsWith('"') ? v : $"${{{v}}}";
        }

        return merged;
    }

    /// <summary>A local that is a map literal, or a merge(...) of map literals (only the literal keys are returned).</summary>
    private static IEnumerable<KeyValuePair<string, string>> LiteralMap(JsonNode? local)
    {
        if (local is JsonObject map)
        {
            return map.Select(p => KeyValuePair.Create(p.Key, p.Value is JsonValue ? p.Value.ToString() : p.Value!.ToJsonString()));
        }

        var expression = local?.ToString() ?? string.Empty;
        return Regex.Matches(expression, @"\b(\w+)\s*=(?![=>])\s*(""[^""]*""|[^\s,}]+)")
            .Select(m => KeyValuePair.Create(m.Groups[1].Value, m.Groups[2].Value.StartsWith('"') ? m.Groups[2].Value.Trim('"') : $"${{{m.Groups[2].Value}}}"));
    }

    private JsonObject Policy(string function)
        => Module.DataSource("aws_iam_policy_document", Reference(
            Module.Resources("aws_iam_role_policy").Single(p => p.Body.Text("role") == $"${{aws_iam_role.{function}.id}}").Body.Text("policy"),
            "data.aws_iam_policy_document.", ".json"));

    /// <summary>The name in an expression like <c>${data.aws_iam_policy_document.bot.json}</c>.</summary>
    private static string Reference(string? expression, string prefix, string suffix, string literalPrefix = "")
    {
        var match = Regex.Match(expression ?? string.Empty, $@"^{Regex.Escape(literalPrefix)}\$\{{{Regex.Escape(prefix)}(\w+){Regex.Escape(suffix)}\}}$");
        Assert.True(match.Success, $"expected {literalPrefix}${{{prefix}NAME{suffix}}}, got {expression}");
        return match.Groups[1].Value;
    }

    [GeneratedRegex(@"^\$\{aws_iam_role\.(\w+)\.arn\}$")]
    private static partial Regex RoleName();
}
