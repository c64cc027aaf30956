# One role per function, each allowed only what its host does. No wildcard actions; data resources are named by ARN.
data "aws_iam_policy_document" "lambda_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

locals {
  table_arns = [aws_dynamodb_table.scans.arn, "${aws_dynamodb_table.scans.arn}/index/gsi1"]

  ssm_parameter_arn_prefix = "arn:${local.partition}:ssm:${var.region}:${local.account_id}:parameter${local.ssm_prefix}"

  function_policies = {
    bot       = data.aws_iam_policy_document.bot.json
    webhooks  = data.aws_iam_policy_document.webhooks.json
    processor = data.aws_iam_policy_document.processor.json
  }
}

resource "aws_iam_role" "function" {
  for_each = var.functions

  name               = "${local.name}-${each.key}"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
}

resource "aws_iam_role_policy" "function" {
  for_each = var.functions

  name   = each.key
  role   = aws_iam_role.function[each.key].id
  policy = local.function_policies[each.key]
}

# --- what every function does: write its own logs, read its parameters, read and write scans and claims, enqueue jobs ---

data "aws_iam_policy_document" "function_common" {
  for_each = var.functions

  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.function[each.key].arn}:*"]
  }

  # GetParametersByPath is authorised against the requested path and returns everything below it, so each function is
  # given only the hierarchies it reads (local.function_parameters).
  statement {
    sid       = "ParameterPaths"
    actions   = ["ssm:GetParametersByPath"]
    resources = [for path in local.function_parameters[each.key].paths : "${local.ssm_parameter_arn_prefix}/${path}"]
  }

  dynamic "statement" {
    for_each = length(local.function_parameters[each.key].names) > 0 ? [1] : []

    content {
      sid       = "ParameterNames"
      actions   = ["ssm:GetParameters"]
      resources = [for name in local.function_parameters[each.key].names : "${local.ssm_parameter_arn_prefix}/${name}"]
    }
  }

  statement {
    sid       = "Scans"
    actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"]
    resources = local.table_arns
  }

  statement {
    sid = "Enqueue"
    # The processor also sends: retries and callback jobs with delays.
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.jobs.arn]
  }
}

# --- bot: verify Slack requests, answer /catscan status ---

data "aws_iam_policy_document" "bot" {
  source_policy_documents = [data.aws_iam_policy_document.function_common["bot"].json]
}

# --- webhooks and processor: store and read image objects (never the bot: the processor downloads Slack files) ---

data "aws_iam_policy_document" "image_objects" {
  statement {
    sid = "Images"
    # GetObject also covers HeadObject (content-addressed puts skip bytes already stored).
    actions   = ["s3:PutObject", "s3:GetObject"]
    resources = ["${aws_s3_bucket.private["images"].arn}/*"]
  }
}

# --- webhooks: verify API callers, store uploads ---

data "aws_iam_policy_document" "webhooks" {
  source_policy_documents = [
    data.aws_iam_policy_document.function_common["webhooks"].json,
    data.aws_iam_policy_document.image_objects.json,
  ]
}

# --- processor: consume jobs, fetch/store images, classify, reply in Slack, sign callbacks ---

data "aws_iam_policy_document" "processor" {
  source_policy_documents = [
    data.aws_iam_policy_document.function_common["processor"].json,
    data.aws_iam_policy_document.image_objects.json,
  ]

  statement {
    sid = "ConsumeJobs"
    # ReceiveMessage/DeleteMessage/GetQueueAttributes for the event source mapping; ChangeMessageVisibility for retries.
    actions = [
      "sqs:ReceiveMessage",
      "sqs:DeleteMessage",
      "sqs:GetQueueAttributes",
      "sqs:ChangeMessageVisibility",
    ]
    resources = [aws_sqs_queue.jobs.arn]
  }

  dynamic "statement" {
    for_each = var.detector_kind == "rekognition" ? [1] : []

    content {
      sid = "Rekognition"
      # DetectLabels has no resource-level permissions; Rekognition reads the S3 object with this role's s3:GetObject.
      actions   = ["rekognition:DetectLabels"]
      resources = ["*"]
    }
  }
}
