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
    public void Module_pins_the_aws_provider_and_a_terraform_that_supports_the_backend_example()
    {
        var terraform = Module.Unlabelled("terraform").ToList();
        var aws = Assert.Single(terraform, t => t.Block("required_providers") is not null).Block("required_providers")!["aws"]!.AsObject();
        Assert.Equal("hashicorp/aws", aws.Text("source"));
        Assert.StartsWith("~> 5.", aws.Text("version"), StringComparison.Ordinal);

        // backend.tf.example uses the S3 backend's use_lockfile, which Terraform understands from 1.10 on.
        var backendExample = File.ReadAllText(Path.Combine(TerraformModuleFixture.ModuleDirectory, "backend.tf.example"));
        Assert.Contains("use_lockfile = true", backendExample, StringComparison.Ordinal);
        var required = Regex.Match(Assert.Single(terraform, t => t.Text("required_version") is not null).Text("required_version")!, @"^>= ?(\d+)\.(\d+)");
        Assert.True(required.Success);
        Assert.True(new Version(int.Parse(required.Groups[1].Value), int.Parse(required.Groups[2].Value)) >= new Version(1, 10), "required_version must be >= 1.10 for use_lockfile");

        // Each top-level name is declared once, whichever file holds it.
        foreach (var kind in new[] { "variable", "output" })
        {
            Assert.All(Module.Declared(kind), d => Assert.True(d.Bodies.Count == 1, $"{kind} {d.Name} is declared {d.Bodies.Count} times"));
        }

        var locals = Module.Unlabelled("locals").SelectMany(l => l.Select(p => p.Key)).ToList();
        Assert.Equal(locals.Distinct().Order(), locals.Order());
    }

    [Fact]
    public void Every_function_has_its_own_least_privilege_role()
    {
        var function = Module.Resource("aws_lambda_function", "function");
        Assert.Equal("${var.functions}", function.Text("for_each"));
        Assert.Equal(FunctionNames.Order(), Module.Variable("functions")!["default"]!.AsObject().Select(f => f.Key).Order());
        Assert.Equal("${aws_iam_role.function[each.key].arn}", function.Text("role"));

        var role = Module.Resource("aws_iam_role", "function");
        Assert.Equal("${var.functions}", role.Text("for_each"));
        var assume = Reference(role.Text("assume_role_policy"), "data.aws_iam_policy_document.", ".json");
        var principals = Module.DataSource("aws_iam_policy_document", assume).Statements().SelectMany(s => s.Blocks("principals"));
        Assert.Equal(["lambda.amazonaws.com"], principals.SelectMany(p => p.Strings("identifiers")));

        var policy = Assert.Single(Module.Resources("aws_iam_role_policy")).Body;
        Assert.Equal("${var.functions}", policy.Text("for_each"));
        Assert.Equal("${aws_iam_role.function[each.key].id}", policy.Text("role"));
        Assert.Equal("${local.function_policies[each.key]}", policy.Text("policy"));

        var documents = new HashSet<string>();
        foreach (var name in FunctionNames)
        {
            var document = Reference(Module.Locals()["function_policies"]?[name]?.ToString(), "data.aws_iam_policy_document.", ".json");
            Assert.True(documents.Add(document), $"{name} shares policy document {document} with another function");
            Assert.Contains(Policy(name), s => s.Strings("actions").Contains("logs:PutLogEvents")
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
            foreach (var statement in Module.PolicyStatements(document).Where(s => (s.Text("effect") ?? "Allow") == "Allow"))
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
        Assert.Contains(documents, d => d.Body.Statements().Any(s => s.Strings("resources").Contains("${aws_s3_bucket.private[\"images\"].arn}/*")));
        Assert.Contains(documents, d => d.Body.Statements().Any(s => s.Text("resources") == "${local.table_arns}"));
        Assert.Contains("aws_dynamodb_table.scans.arn", Module.Locals().Text("table_arns"), StringComparison.Ordinal);

        // Inline policies come from those documents, never from hand-written JSON that the checks above cannot see.
        Assert.All(Module.Locals()["function_policies"]!.AsObject(), p => Assert.Matches(@"^\$\{data\.aws_iam_policy_document\.\w+\.json\}$", p.Value!.ToString()));
    }

    [Fact]
    public void Only_the_processor_reads_the_queue_and_only_producers_send()
    {
        var processor = Policy("processor");
        Assert.Contains(processor, s => s.Strings("actions").Contains("sqs:ReceiveMessage") && s.Strings("actions").Contains("sqs:DeleteMessage"));
        foreach (var producer in new[] { "bot", "webhooks" })
        {
            var actions = Policy(producer).SelectMany(s => s.Strings("actions")).ToList();
            Assert.Contains("sqs:SendMessage", actions);
            Assert.DoesNotContain("sqs:ReceiveMessage", actions);
            Assert.DoesNotContain("sqs:DeleteMessage", actions);
        }

        // The bot never touches image bytes (the processor downloads Slack files).
        Assert.DoesNotContain(Policy("bot").SelectMany(s => s.Strings("actions")), a => a.StartsWith("s3:", StringComparison.Ordinal));
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
        Assert.Matches(@"^\$\{\d+ \* var\.functions\[""processor""\]\.timeout_seconds\}$", jobs.Text("visibility_timeout_seconds"));
    }

    [Fact]
    public void Processor_consumes_the_queue_with_partial_batch_failures()
    {
        var mappings = Module.Resources("aws_lambda_event_source_mapping").ToList();
        var mapping = Assert.Single(mappings).Body;
        Assert.Equal("${aws_sqs_queue.jobs.arn}", mapping.Text("event_source_arn"));
        Assert.Equal("${aws_lambda_function.function[\"processor\"].arn}", mapping.Text("function_name"));
        Assert.Equal(["ReportBatchItemFailures"], mapping.Strings("function_response_types"));
        Assert.NotNull(mapping.Block("scaling_config")?.Text("maximum_concurrency"));

        var environment = Environment("processor");
        Assert.Equal("/events", environment.Text("AWS_LWA_PASS_THROUGH_PATH"));

        // Second line of defence: for SQS the adapter returns the response body, not the status, so a 5xx with an
        // empty body would read as "whole batch succeeded"; these statuses fail the invocation instead.
        var errorCodes = environment.Text("AWS_LWA_ERROR_STATUS_CODES");
        Assert.NotNull(errorCodes);
        Assert.All(new[] { 400, 404, 500, 502, 503, 599 }, status => Assert.True(StatusIn(errorCodes, status), $"{status} is not in AWS_LWA_ERROR_STATUS_CODES={errorCodes}"));
        Assert.All(new[] { 200, 202 }, status => Assert.False(StatusIn(errorCodes, status), $"{status} must not fail the invocation"));
        Assert.All(new[] { "bot", "webhooks" }, name => Assert.Null(Environment(name).Text("AWS_LWA_ERROR_STATUS_CODES")));
    }

    [Fact]
    public void Functions_run_on_provided_al2023_with_the_pinned_web_adapter_layer()
    {
        // The layer lives in every region under AWS's account; its ARN must name the functions' region.
        var version = Module.Variable("lambda_adapter_layer_version")!;
        Assert.Equal("${number}", version.Text("type"));
        Assert.True(version["default"]!.GetValue<int>() >= 1);
        Assert.Equal(
            "arn:${local.partition}:lambda:${var.region}:753240598075:layer:LambdaAdapterLayerX86:${var.lambda_adapter_layer_version}",
            Module.Locals().Text("lambda_adapter_layer_arn"));
        Assert.True(fixture.DevVariables["lambda_adapter_layer_version"]!.GetValue<int>() >= 1);

        var template = Module.Resource("aws_lambda_function", "function");
        Assert.Equal(["${local.lambda_adapter_layer_arn}"], template.Strings("layers"));
        Assert.Equal("${each.value.reserved_concurrency}", template.Text("reserved_concurrent_executions"));
        Assert.Equal("${each.value.memory_mb}", template.Text("memory_size"));
        Assert.Equal("${each.value.timeout_seconds}", template.Text("timeout"));
        Assert.Contains("reserved_concurrency", Module.Variable("functions")!.Text("type"), StringComparison.Ordinal);

        foreach (var name in FunctionNames)
        {
            var function = TerraformModule.Instance(template, name);
            Assert.Equal("provided.al2023", function.Text("runtime"));
            Assert.Equal("bootstrap", function.Text("handler"));
            Assert.Equal(["x86_64"], function.Strings("architectures"));
            Assert.Equal($"${{aws_s3_object.package[\"{name}\"].version_id}}", function.Text("s3_object_version"));
            Assert.Equal($"${{aws_cloudwatch_log_group.function[\"{name}\"].name}}", function.Block("logging_config")!.Text("log_group"));

            var environment = Environment(name);
            Assert.Equal("aws", environment.Text("CatWrangler__Platform"));
            Assert.Equal("/healthz", environment.Text("AWS_LWA_READINESS_CHECK_PATH"));
            Assert.Equal("8080", environment.Text("AWS_LWA_PORT"));
            Assert.EndsWith(":8080", environment.Text("ASPNETCORE_URLS"), StringComparison.Ordinal);
            Assert.Equal("${aws_s3_bucket.private[\"images\"].id}", environment.Text("CatWrangler__Aws__BucketName"));
            Assert.Equal("${aws_dynamodb_table.scans.name}", environment.Text("CatWrangler__Aws__TableName"));
            Assert.Equal("${aws_sqs_queue.jobs.url}", environment.Text("CatWrangler__Aws__QueueUrl"));
            Assert.NotNull(environment.Text("CatWrangler__Aws__ParameterPrefix"));
            Assert.Equal(name == "processor" ? "/var/task/models" : null, environment.Text("CatWrangler__Detector__ModelDirectory"));
            Assert.All(environment.Select(e => e.Key), key => Assert.Matches("^(AWS_LWA_|ASPNETCORE_|DOTNET_|CatWrangler__[A-Za-z]+)", key));
        }

        var logGroups = Module.Resource("aws_cloudwatch_log_group", "function");
        Assert.Equal("${var.functions}", logGroups.Text("for_each"));
        Assert.Equal("${var.log_retention_days}", logGroups.Text("retention_in_days"));
        Assert.Equal(FunctionNames.Order(), fixture.DevVariables["functions"]!.AsObject().Select(f => f.Key).Order());
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
        // One hardened pattern: every bucket is an instance of aws_s3_bucket.private, and each hardening resource
        // covers every instance.
        var bucket = Assert.Single(Module.Resources("aws_s3_bucket"));
        Assert.Equal("private", bucket.Name);
        Assert.Equal("${local.private_buckets}", bucket.Body.Text("for_each"));
        var names = Module.Locals()["private_buckets"]!.AsObject().Select(b => b.Key).ToList();
        Assert.Equal(["artifacts", "images"], names.Order());

        JsonObject Hardening(string type)
        {
            var resource = Assert.Single(Module.Resources(type)).Body;
            Assert.Equal("${aws_s3_bucket.private}", resource.Text("for_each"));
            Assert.Equal("${each.value.id}", resource.Text("bucket"));
            return resource;
        }

        var block = Hardening("aws_s3_bucket_public_access_block");
        Assert.All(new[] { "block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets" }, flag => Assert.True(block.IsTrue(flag), flag));

        var sse = Hardening("aws_s3_bucket_server_side_encryption_configuration");
        Assert.Contains(sse.Block("rule")!.Block("apply_server_side_encryption_by_default")!.Text("sse_algorithm"), new[] { "AES256", "aws:kms", "aws:kms:dsse" });

        Assert.Equal("BucketOwnerEnforced", Hardening("aws_s3_bucket_ownership_controls").Block("rule")!.Text("object_ownership"));

        var policy = Hardening("aws_s3_bucket_policy");
        var document = Module.DataSource("aws_iam_policy_document", Reference(policy.Text("policy"), "data.aws_iam_policy_document.", "[each.key].json"));
        Assert.Equal("${aws_s3_bucket.private}", document.Text("for_each"));
        Assert.Contains(document.Statements(), s => s.Text("effect") == "Deny"
            && s.Strings("resources").SequenceEqual(["${each.value.arn}", "${each.value.arn}/*"])
            && s.Blocks("condition").Any(c => c.Text("variable") == "aws:SecureTransport" && c.Strings("values").SequenceEqual(["false"])));

        // Lifecycle rules are data in the same table; one resource turns every bucket's rows into rules.
        var lifecycle = Hardening("aws_s3_bucket_lifecycle_configuration");
        Assert.Equal("${local.private_buckets[each.key].lifecycle_rules}", Assert.Single(lifecycle.DynamicBlocks("rule")).Text("for_each"));
        Assert.All(names, name => Assert.NotEmpty(LifecycleRules(name)));

        Assert.Empty(Module.Resources("aws_s3_bucket_acl"));
    }

    [Fact]
    public void Lifecycle_rule_rows_become_enabled_rules_with_an_action_for_each_field_set()
    {
        var template = Assert.Single(Module.Resource("aws_s3_bucket_lifecycle_configuration", "private").DynamicBlocks("rule")).Block("content")!;
        Assert.Equal("Enabled", template.Text("status"));
        Assert.Equal("${rule.value.id}", template.Text("id"));
        Assert.Equal("${rule.value.prefix}", template.Block("filter")!.Text("prefix"));

        // Each optional action is present exactly when its row field is not null ([*] of null is an empty list).
        var actions = new Dictionary<string, (string Field, string Argument)>
        {
            ["expiration"] = ("expiration_days", "days"),
            ["noncurrent_version_expiration"] = ("noncurrent_days", "noncurrent_days"),
            ["abort_incomplete_multipart_upload"] = ("abort_multipart_days", "days_after_initiation"),
        };
        foreach (var (block, (field, argument)) in actions)
        {
            var action = Assert.Single(template.DynamicBlocks(block));
            Assert.Equal($"${{rule.value.{field}[*]}}", action.Text("for_each"));
            Assert.Equal($"${{{block}.value}}", action.Block("content")!.Text(argument));
        }

        // Terraform unifies the rows of a list into one object type: every row names every field the template reads.
        string[] fields = ["id", "prefix", .. actions.Values.Select(a => a.Field)];
        Assert.All(Module.Locals()["private_buckets"]!.AsObject().SelectMany(b => LifecycleRules(b.Key)), rule => Assert.Equal(fields.Order(), rule.Select(f => f.Key).Order()));
    }

    [Fact]
    public void Images_expire_after_retention_and_staged_uploads_after_a_day()
    {
        var rules = LifecycleRules("images");

        var everything = Assert.Single(rules, r => r["prefix"] is null);
        Assert.Equal("${var.retention_days}", everything.Text("expiration_days"));

        var uploads = Assert.Single(rules, r => r.Text("prefix") == "uploads/");
        Assert.Equal(1, uploads["expiration_days"]!.GetValue<int>());

        // Artifacts keep the current package and drop replaced versions.
        var packages = Assert.Single(LifecycleRules("artifacts"));
        Assert.Null(packages["expiration_days"]);
        Assert.Equal(30, packages["noncurrent_days"]!.GetValue<int>());
    }

    [Fact]
    public void Packages_upload_only_after_versioning_is_on_and_functions_pin_the_version()
    {
        // Uploaded before versioning, an object has no version id and the functions would run whatever is latest.
        var package = Module.Resource("aws_s3_object", "package");
        Assert.Equal("${aws_s3_bucket.private[\"artifacts\"].id}", package.Text("bucket"));
        Assert.Contains("${aws_s3_bucket_versioning.artifacts}", package.Strings("depends_on"));

        var versioning = Module.Resource("aws_s3_bucket_versioning", "artifacts");
        Assert.Equal(package.Text("bucket"), versioning.Text("bucket"));
        Assert.Equal("Enabled", versioning.Block("versioning_configuration")!.Text("status"));

        Assert.Equal("${aws_s3_object.package[each.key].version_id}", Module.Resource("aws_lambda_function", "function").Text("s3_object_version"));
    }

    [Fact]
    public void Renamed_addresses_are_moved_not_replaced()
    {
        // Existing stacks keep their functions, roles and buckets: every old address has a moved block to its new one.
        var moves = Module.Unlabelled("moved")
            .ToDictionary(m => m.Text("from")!, m => m.Text("to")!);
        foreach (var name in FunctionNames)
        {
            Assert.Equal($"${{aws_lambda_function.function[\"{name}\"]}}", moves[$"${{aws_lambda_function.{name}}}"]);
            Assert.Equal($"${{aws_iam_role.function[\"{name}\"]}}", moves[$"${{aws_iam_role.{name}}}"]);
            Assert.Equal($"${{aws_iam_role_policy.function[\"{name}\"]}}", moves[$"${{aws_iam_role_policy.{name}}}"]);
        }

        foreach (var bucket in new[] { "images", "artifacts" })
        {
            foreach (var type in new[] { "aws_s3_bucket", "aws_s3_bucket_ownership_controls", "aws_s3_bucket_public_access_block", "aws_s3_bucket_server_side_encryption_configuration", "aws_s3_bucket_policy", "aws_s3_bucket_lifecycle_configuration" })
            {
                Assert.Equal($"${{{type}.private[\"{bucket}\"]}}", moves[$"${{{type}.{bucket}}}"]);
            }
        }

        foreach (var function in new[] { "bot", "webhooks" })
        {
            Assert.Equal($"${{aws_apigatewayv2_integration.function[\"{function}\"]}}", moves[$"${{aws_apigatewayv2_integration.{function}}}"]);
            Assert.Equal($"${{aws_lambda_permission.api[\"{function}\"]}}", moves[$"${{aws_lambda_permission.api_{function}}}"]);
        }

        foreach (var route in Module.Locals()["api_routes"]!.AsObject().Select(r => r.Key))
        {
            Assert.Equal($"${{aws_apigatewayv2_route.route[\"{route}\"]}}", moves[$"${{aws_apigatewayv2_route.{route}}}"]);
        }

        Assert.Equal("${aws_cloudwatch_metric_alarm.alarm[\"jobs-dlq-not-empty\"]}", moves["${aws_cloudwatch_metric_alarm.dlq_depth}"]);
        Assert.Equal("${aws_cloudwatch_metric_alarm.alarm[\"jobs-oldest-message-age\"]}", moves["${aws_cloudwatch_metric_alarm.queue_age}"]);
        foreach (var name in FunctionNames)
        {
            Assert.Equal($"${{aws_cloudwatch_metric_alarm.alarm[\"{name}-errors\"]}}", moves[$"${{aws_cloudwatch_metric_alarm.function_errors[\"{name}\"]}}"]);
            Assert.Equal($"${{aws_cloudwatch_metric_alarm.alarm[\"{name}-throttles\"]}}", moves[$"${{aws_cloudwatch_metric_alarm.function_throttles[\"{name}\"]}}"]);
        }

        // Every move lands on a resource that exists, so none of them points at a typo.
        var declared = (Module.Document["resource"]?.AsObject() ?? []).SelectMany(t => t.Value!.AsObject().Select(n => $"{t.Key}.{n.Key}")).ToHashSet();
        Assert.All(moves.Values, to => Assert.Contains(Regex.Match(to, @"^\$\{(\w+\.\w+)\[").Groups[1].Value, declared));
    }

    [Fact]
    public void Secrets_are_secure_strings_whose_values_are_set_out_of_band()
    {
        var parameters = Module.Resources("aws_ssm_parameter").Where(p => p.Name != "setting").ToList();
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
    public void Each_function_reads_only_its_own_parameter_hierarchies_and_no_client_or_user_sits_in_the_environment()
    {
        var table = Module.Locals()["function_parameters"]!.AsObject();
        string[] Read(string function, string kind) => [.. table[function]![kind]!.AsArray().Select(p => p!.ToString())];

        Assert.Equal(["CatWrangler/Slack"], Read("bot", "paths"));
        Assert.Equal(["CatWrangler/Clients"], Read("webhooks", "paths"));
        Assert.Empty(Read("webhooks", "names"));
        // The processor replies in Slack and signs callbacks, but never verifies Slack requests: no signing secret.
        Assert.Equal(["CatWrangler/Slack/BotToken"], Read("processor", "names"));
        Assert.DoesNotContain(Read("processor", "paths"), path => "CatWrangler/Slack/SigningSecret".StartsWith(path + "/", StringComparison.Ordinal));

        // The grants and the hosts' environment both come from that one table.
        foreach (var function in FunctionNames)
        {
            var byPath = Assert.Single(Policy(function), s => s.Strings("actions").SequenceEqual(["ssm:GetParametersByPath"]));
            Assert.Contains($"local.function_parameters[\"{function}\"].paths", byPath.Text("resources"), StringComparison.Ordinal);
            Assert.DoesNotContain(Policy(function), s => s.Strings("actions").Contains("ssm:GetParameter"));
        }

        Assert.Contains("local.parameter_environment", Module.Locals().Text("function_environment"), StringComparison.Ordinal);
        var environment = string.Join('\n', FunctionNames.Select(f => Environment(f).ToJsonString()));
        Assert.DoesNotContain("CatWrangler__Clients__", environment, StringComparison.Ordinal);
        Assert.DoesNotContain("PowerUsers", environment, StringComparison.Ordinal);

        // Clients and power users are String parameters named like the configuration keys the hosts read.
        var settings = Module.Locals().Text("client_settings");
        Assert.Contains("CatWrangler/Clients/${id}/Enabled", settings, StringComparison.Ordinal);
        Assert.Contains("CatWrangler/Clients/${id}/Scopes/${n}", settings, StringComparison.Ordinal);
        Assert.Contains("CatWrangler/Slack/PowerUsers/${n}", settings, StringComparison.Ordinal);
        Assert.Equal("String", Module.Resource("aws_ssm_parameter", "setting").Text("type"));
    }

    [Fact]
    public void Alarms_cover_the_dead_letter_queue_function_errors_and_throttles()
    {
        // One alarm resource over one table: queue rows literally, function rows as every function times every metric.
        var alarm = Assert.Single(Module.Resources("aws_cloudwatch_metric_alarm")).Body;
        Assert.Equal("${local.alarms}", alarm.Text("for_each"));
        Assert.All(new[] { "namespace", "metric_name", "dimensions", "statistic", "threshold" }, field => Assert.Equal($"${{each.value.{field}}}", alarm.Text(field)));
        Assert.Equal("GreaterThanThreshold", alarm.Text("comparison_operator"));
        Assert.Equal(["${aws_sns_topic.alarms.arn}"], alarm.Strings("alarm_actions"));

        var locals = Module.Locals();
        Assert.Equal("${merge(local.queue_alarms, local.function_alarms)}", locals.Text("alarms"));

        var dlq = Assert.Single(locals["queue_alarms"]!.AsObject().Select(a => a.Value!.AsObject()), a => a.Text("metric_name") == "ApproximateNumberOfMessagesVisible");
        Assert.Equal("AWS/SQS", dlq.Text("namespace"));
        Assert.Equal("${aws_sqs_queue.dlq.name}", dlq["dimensions"]!.AsObject().Text("QueueName"));
        Assert.Equal(0, dlq["threshold"]!.GetValue<int>());

        Assert.Equal(["Errors", "Throttles"], locals["function_alarm_metrics"]!.AsObject().Select(m => m.Value!.AsObject().Text("metric_name")!).Order());
        var functionAlarms = locals.Text("function_alarms")!;
        Assert.Contains("for fn in keys(var.functions)", functionAlarms, StringComparison.Ordinal);
        Assert.Contains("for kind, m in local.function_alarm_metrics", functionAlarms, StringComparison.Ordinal);
        Assert.Contains("\"AWS/Lambda\"", functionAlarms, StringComparison.Ordinal);
        Assert.Contains("FunctionName = aws_lambda_function.function[fn].function_name", functionAlarms, StringComparison.Ordinal);

        // CloudWatch cannot publish to a topic encrypted with the AWS-managed aws/sns key: the alarms would never arrive.
        Assert.NotEqual("alias/aws/sns", Module.Resource("aws_sns_topic", "alarms").Text("kms_master_key_id"));
    }

    [Theory]
    [InlineData("POST /slack/events", "bot")]
    [InlineData("POST /slack/commands", "bot")]
    [InlineData("ANY /v1/{proxy+}", "webhooks")]
    [InlineData("GET /openapi/{proxy+}", "webhooks")]
    [InlineData("GET /healthz", "webhooks")]
    public void Api_routes_reach_the_right_function(string routeKey, string function)
    {
        var route = Assert.Single(Module.Locals()["api_routes"]!.AsObject().Select(r => r.Value!.AsObject()), r => r.Text("route_key") == routeKey);
        Assert.Equal(function, route.Text("function"));
        Assert.NotNull(Module.Locals()["api_functions"]![function]);

        var template = Module.Resource("aws_apigatewayv2_route", "route");
        Assert.Equal("${local.api_routes}", template.Text("for_each"));
        Assert.Equal("${each.value.route_key}", template.Text("route_key"));
        Assert.Equal("integrations/${aws_apigatewayv2_integration.function[each.value.function].id}", template.Text("target"));

        var integration = Module.Resource("aws_apigatewayv2_integration", "function");
        Assert.Equal("${local.api_functions}", integration.Text("for_each"));
        Assert.Equal("${aws_lambda_function.function[each.key].invoke_arn}", integration.Text("integration_uri"));
        Assert.Equal("AWS_PROXY", integration.Text("integration_type"));
        Assert.Equal("2.0", integration.Text("payload_format_version"));

        var permission = Module.Resource("aws_lambda_permission", "api");
        Assert.Equal("${local.api_functions}", permission.Text("for_each"));
        Assert.Equal("${aws_lambda_function.function[each.key].function_name}", permission.Text("function_name"));
        Assert.Equal("apigateway.amazonaws.com", permission.Text("principal"));
        Assert.StartsWith("${aws_apigatewayv2_api.http.execution_arn}", permission.Text("source_arn"), StringComparison.Ordinal);
    }

    [Fact]
    public void Processor_is_not_reachable_over_http()
    {
        // Integrations and permissions exist only for the functions in the API table, and the processor is not one.
        var apiFunctions = Module.Locals()["api_functions"]!.AsObject().Select(f => f.Key).ToList();
        Assert.DoesNotContain("processor", apiFunctions);
        Assert.All(Module.Locals()["api_routes"]!.AsObject(), r => Assert.Contains(r.Value!.AsObject().Text("function"), apiFunctions));
        Assert.Equal("${local.api_functions}", Assert.Single(Module.Resources("aws_apigatewayv2_integration")).Body.Text("for_each"));
        Assert.Equal("${local.api_functions}", Assert.Single(Module.Resources("aws_lambda_permission")).Body.Text("for_each"));
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

        // SSM parameter names map to the configuration keys the hosts read.
        var ssm = new CatWrangler.Adapters.Aws.Configuration.SsmParameterSettings("/p", [], [], TimeSpan.FromMinutes(1));
        Assert.Equal("CatWrangler:Slack:BotToken", ssm.KeyOf("/p/" + Module.Locals()["slack_secret_keys"]!["slack_bot_token"]!.ToString()));
    }

    [Fact]
    public void Every_variable_is_described_typed_and_used()
    {
        // Used = referenced outside variable blocks (a variable's own validation does not count).
        var text = string.Join('\n', Module.Document.Where(p => p.Key != "variable").Select(p => p.Value!.ToJsonString()));
        var variables = Module.Declared("variable").ToDictionary(v => v.Name, v => v.Bodies[0]);
        foreach (var (name, variable) in variables)
        {
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
        var locals = Module.Locals();
        var variables = Module.Resource("aws_lambda_function", "function").Block("environment")!.Text("variables")!
            .Replace("local.function_environment[each.key]", locals["function_environment"]![function]!.ToString(), StringComparison.Ordinal);
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

    /// <summary>The lifecycle rule rows of one bucket in <c>local.private_buckets</c>.</summary>
    private IReadOnlyList<JsonObject> LifecycleRules(string bucket)
        => [.. Module.Locals()["private_buckets"]![bucket]!["lifecycle_rules"]!.AsArray().OfType<JsonObject>()];

    /// <summary>Every statement of the function's inline policy (local.function_policies), shared ones included.</summary>
    private IReadOnlyList<JsonObject> Policy(string function)
        => [.. Module.PolicyStatements(Module.DataSource("aws_iam_policy_document", Reference(
            Module.Locals()["function_policies"]?[function]?.ToString(), "data.aws_iam_policy_document.", ".json")))];

    /// <summary>Whether an <c>AWS_LWA_ERROR_STATUS_CODES</c> value ("500,502-504") covers the status.</summary>
    private static bool StatusIn(string codes, int status)
        => codes.Split(',', StringSplitOptions.TrimEntries).Any(part => part.Split('-') is [var from, var to]
            ? status >= int.Parse(from, System.Globalization.CultureInfo.InvariantCulture) && status <= int.Parse(to, System.Globalization.CultureInfo.InvariantCulture)
            : status == int.Parse(part, System.Globalization.CultureInfo.InvariantCulture));

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
