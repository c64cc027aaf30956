# Three ASP.NET Core hosts on provided.al2023. Each zip holds a self-contained linux-x64 publish and an executable
# `bootstrap` (tools/package.sh); the Lambda Web Adapter layer turns invocations into HTTP requests on port 8080.
locals {
  lambda_adapter_layer_arn = "arn:${local.partition}:lambda:${var.region}:753240598075:layer:LambdaAdapterLayerX86:${var.lambda_adapter_layer_version}"

  adapter_environment = {
    AWS_LWA_PORT                 = "8080"
    AWS_LWA_READINESS_CHECK_PATH = "/healthz"
    ASPNETCORE_URLS              = "http://127.0.0.1:8080"
    # Workstation GC: a Lambda has one or two vCPUs and a fixed memory size.
    DOTNET_gcServer = "0"
  }

  platform_environment = merge(
    {
      CatWrangler__Platform             = "aws"
      CatWrangler__Retention            = "${var.retention_days}.00:00:00"
      CatWrangler__Aws__BucketName      = aws_s3_bucket.private["images"].id
      CatWrangler__Aws__TableName       = aws_dynamodb_table.scans.name
      CatWrangler__Aws__QueueUrl        = aws_sqs_queue.jobs.url
      CatWrangler__Aws__ParameterPrefix = local.ssm_prefix
      CatWrangler__Detector__Kind       = var.detector_kind
    },
    var.detector_threshold == null ? {} : { CatWrangler__Detector__Threshold = tostring(var.detector_threshold) },
    var.detector_kind == "rekognition" ? { CatWrangler__Aws__Rekognition__MinConfidence = tostring(var.rekognition_min_confidence) } : {},
  )

  # What each function reads from Parameter Store at start and every minute (paths recursively, names singly):
  # secrets, API clients and Slack power users live there, not in the environment (no 4 KB ceiling, no redeploy to add
  # a client). iam.tf grants exactly these.
  function_parameters = {
    bot       = { paths = ["CatWrangler/Slack"], names = [] }
    webhooks  = { paths = ["CatWrangler/Clients"], names = [] }
    processor = { paths = ["CatWrangler/Clients", "CatWrangler/Slack/PowerUsers"], names = ["CatWrangler/Slack/BotToken"] }
  }

  parameter_environment = {
    for fn, p in local.function_parameters : fn => merge(
      { for i, path in p.paths : "CatWrangler__Aws__ParameterPaths__${i}" => path },
      { for i, name in p.names : "CatWrangler__Aws__ParameterNames__${i}" => name },
    )
  }

  # What each function adds to the shared environment (sizing is in var.functions).
  function_environment = {
    bot      = local.parameter_environment["bot"]
    webhooks = merge(local.parameter_environment["webhooks"], { CatWrangler__Limits__MaxBytes = tostring(var.api_max_upload_bytes) })
    processor = merge(local.parameter_environment["processor"], {
      # SQS batches arrive as POST /events with the raw event JSON; the response carries batchItemFailures.
      AWS_LWA_PASS_THROUGH_PATH = "/events"
      # For non-HTTP events the adapter ignores the status and returns the body as the invocation result, so an error
      # with an empty or non-JSON body would read as "whole batch succeeded". Any non-2xx (400 for a body that is not an
      # SQS event, 404 for a wrong path, an unhandled 500) fails the invocation instead, so SQS retries the batch.
      AWS_LWA_ERROR_STATUS_CODES = "400-599"
      # Loading the ONNX model may exceed Lambda's 10 s init phase; let the adapter finish init in the first invoke.
      AWS_LWA_ASYNC_INIT = "true"
      # Only the processor classifies, so only its zip carries the model (tools/package.sh).
      CatWrangler__Detector__ModelDirectory = "/var/task/models"
      CatWrangler__Aws__MaxReceiveCount     = tostring(var.max_receive_count)
    })
  }
}

resource "aws_cloudwatch_log_group" "function" {
  for_each = var.functions

  name              = "/aws/lambda/${local.name}-${each.key}"
  retention_in_days = var.log_retention_days
}

resource "aws_lambda_function" "function" {
  for_each = var.functions

  function_name = "${local.name}-${each.key}"
  description   = each.value.description
  role          = aws_iam_role.function[each.key].arn

  runtime       = "provided.al2023"
  handler       = "bootstrap"
  architectures = ["x86_64"]
  layers        = [local.lambda_adapter_layer_arn]

  s3_bucket         = aws_s3_object.package[each.key].bucket
  s3_key            = aws_s3_object.package[each.key].key
  s3_object_version = aws_s3_object.package[each.key].version_id
  source_code_hash  = filebase64sha256("${var.package_directory}/${each.key}.zip")

  memory_size                    = each.value.memory_mb
  timeout                        = each.value.timeout_seconds
  reserved_concurrent_executions = each.value.reserved_concurrency

  environment {
    variables = merge(local.adapter_environment, local.platform_environment, local.function_environment[each.key])
  }

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.function[each.key].name
  }

  depends_on = [aws_iam_role_policy.function]
}
