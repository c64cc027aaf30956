# Three ASP.NET Core hosts on provided.al2023. Each zip holds a self-contained linux-x64 publish and an executable
# `bootstrap` (tools/package.sh); the Lambda Web Adapter layer turns invocations into HTTP requests on port 8080.
locals {
  functions = {
    bot       = { description = "Slack events and slash commands" }
    webhooks  = { description = "Signed scan API (/v1)" }
    processor = { description = "SQS jobs: ingest, classify, notify" }
  }

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
      CatWrangler__Aws__BucketName      = aws_s3_bucket.images.id
      CatWrangler__Aws__TableName       = aws_dynamodb_table.scans.name
      CatWrangler__Aws__QueueUrl        = aws_sqs_queue.jobs.url
      CatWrangler__Aws__ParameterPrefix = local.ssm_prefix
      CatWrangler__Detector__Kind       = var.detector_kind
    },
    var.detector_threshold == null ? {} : { CatWrangler__Detector__Threshold = tostring(var.detector_threshold) },
    var.detector_kind == "rekognition" ? { CatWrangler__Aws__Rekognition__MinConfidence = tostring(var.rekognition_min_confidence) } : {},
  )

  # Every client is named in configuration (the API knows no other ids); its secrets stay in SSM.
  client_environment = merge(
    { for id, client in var.api_clients : "CatWrangler__Clients__${id}__Enabled" => "true" },
    [
      for id, client in var.api_clients : {
        for n, scope in client.scopes : "CatWrangler__Clients__${id}__Scopes__${n}" => scope
      }
    ]...
  )

  power_user_environment = { for n, user in var.slack_power_users : "CatWrangler__Slack__PowerUsers__${n}" => user }
}

resource "aws_cloudwatch_log_group" "function" {
  for_each = local.functions

  name              = "/aws/lambda/${local.name}-${each.key}"
  retention_in_days = var.log_retention_days
}

resource "aws_lambda_function" "bot" {
  function_name = "${local.name}-bot"
  description   = local.functions.bot.description
  role          = aws_iam_role.bot.arn

  runtime       = "provided.al2023"
  handler       = "bootstrap"
  architectures = ["x86_64"]
  layers        = [var.lambda_adapter_layer_arn]

  s3_bucket         = aws_s3_object.package["bot"].bucket
  s3_key            = aws_s3_object.package["bot"].key
  s3_object_version = aws_s3_object.package["bot"].version_id
  source_code_hash  = filebase64sha256("${var.package_directory}/bot.zip")

  memory_size                    = var.bot_memory_mb
  timeout                        = var.bot_timeout_seconds
  reserved_concurrent_executions = var.bot_reserved_concurrency

  environment {
    variables = merge(local.adapter_environment, local.platform_environment, local.power_user_environment)
  }

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.function["bot"].name
  }

  depends_on = [aws_iam_role_policy.bot]
}

resource "aws_lambda_function" "webhooks" {
  function_name = "${local.name}-webhooks"
  description   = local.functions.webhooks.description
  role          = aws_iam_role.webhooks.arn

  runtime       = "provided.al2023"
  handler       = "bootstrap"
  architectures = ["x86_64"]
  layers        = [var.lambda_adapter_layer_arn]

  s3_bucket         = aws_s3_object.package["webhooks"].bucket
  s3_key            = aws_s3_object.package["webhooks"].key
  s3_object_version = aws_s3_object.package["webhooks"].version_id
  source_code_hash  = filebase64sha256("${var.package_directory}/webhooks.zip")

  memory_size                    = var.webhooks_memory_mb
  timeout                        = var.webhooks_timeout_seconds
  reserved_concurrent_executions = var.webhooks_reserved_concurrency

  environment {
    variables = merge(
      local.adapter_environment,
      local.platform_environment,
      local.client_environment,
      { CatWrangler__Limits__MaxBytes = tostring(var.api_max_upload_bytes) },
    )
  }

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.function["webhooks"].name
  }

  depends_on = [aws_iam_role_policy.webhooks]
}

resource "aws_lambda_function" "processor" {
  function_name = "${local.name}-processor"
  description   = local.functions.processor.description
  role          = aws_iam_role.processor.arn

  runtime       = "provided.al2023"
  handler       = "bootstrap"
  architectures = ["x86_64"]
  layers        = [var.lambda_adapter_layer_arn]

  s3_bucket         = aws_s3_object.package["processor"].bucket
  s3_key            = aws_s3_object.package["processor"].key
  s3_object_version = aws_s3_object.package["processor"].version_id
  source_code_hash  = filebase64sha256("${var.package_directory}/processor.zip")

  memory_size                    = var.processor_memory_mb
  timeout                        = var.processor_timeout_seconds
  reserved_concurrent_executions = var.processor_reserved_concurrency

  environment {
    variables = merge(
      local.adapter_environment,
      local.platform_environment,
      local.client_environment,
      {
        # SQS batches arrive as POST /events with the raw event JSON; the response carries batchItemFailures.
        AWS_LWA_PASS_THROUGH_PATH = "/events"
        # Loading the ONNX model may exceed Lambda's 10 s init phase; let the adapter finish init in the first invoke.
        AWS_LWA_ASYNC_INIT = "true"
        # Only the processor classifies, so only its zip carries the model (tools/package.sh).
        CatWrangler__Detector__ModelDirectory = "/var/task/models"
        CatWrangler__Aws__MaxReceiveCount     = tostring(var.max_receive_count)
      },
    )
  }

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.function["processor"].name
  }

  depends_on = [aws_iam_role_policy.processor]
}
