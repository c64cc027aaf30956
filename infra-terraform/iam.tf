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

  slack_parameter_arns = {
    for k, p in aws_ssm_parameter.slack : k => p.arn
  }

  # Client secrets are looked up by slot, including slots that do not exist (yet): allow the whole client folder.
  client_secret_path_arn = "arn:${local.partition}:ssm:${var.region}:${local.account_id}:parameter${local.ssm_prefix}/CatWrangler/Clients/*"
}

# --- bot: verify Slack requests, write scans and claims, enqueue, answer /catscan status ---

resource "aws_iam_role" "bot" {
  name               = "${local.name}-bot"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
}

data "aws_iam_policy_document" "bot" {
  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.function["bot"].arn}:*"]
  }

  statement {
    sid       = "Scans"
    actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"]
    resources = local.table_arns
  }

  statement {
    sid       = "Enqueue"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.jobs.arn]
  }

  statement {
    sid       = "SlackSecrets"
    actions   = ["ssm:GetParameter"]
    resources = values(local.slack_parameter_arns)
  }
}

resource "aws_iam_role_policy" "bot" {
  name   = "bot"
  role   = aws_iam_role.bot.id
  policy = data.aws_iam_policy_document.bot.json
}

# --- webhooks: verify API callers, store uploads, write scans and claims, enqueue ---

resource "aws_iam_role" "webhooks" {
  name               = "${local.name}-webhooks"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
}

data "aws_iam_policy_document" "webhooks" {
  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.function["webhooks"].arn}:*"]
  }

  statement {
    sid = "Images"
    # GetObject also covers HeadObject (content-addressed puts skip bytes already stored).
    actions   = ["s3:PutObject", "s3:GetObject"]
    resources = ["${aws_s3_bucket.images.arn}/*"]
  }

  statement {
    sid       = "Scans"
    actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"]
    resources = local.table_arns
  }

  statement {
    sid       = "Enqueue"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.jobs.arn]
  }

  statement {
    sid       = "ClientSecrets"
    actions   = ["ssm:GetParameter"]
    resources = [local.client_secret_path_arn]
  }
}

resource "aws_iam_role_policy" "webhooks" {
  name   = "webhooks"
  role   = aws_iam_role.webhooks.id
  policy = data.aws_iam_policy_document.webhooks.json
}

# --- processor: consume jobs, fetch/store images, classify, update scans, reply in Slack, sign callbacks ---

resource "aws_iam_role" "processor" {
  name               = "${local.name}-processor"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
}

data "aws_iam_policy_document" "processor" {
  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.function["processor"].arn}:*"]
  }

  statement {
    sid       = "Images"
    actions   = ["s3:PutObject", "s3:GetObject"]
    resources = ["${aws_s3_bucket.images.arn}/*"]
  }

  statement {
    sid       = "Scans"
    actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"]
    resources = local.table_arns
  }

  statement {
    sid = "ConsumeJobs"
    # ReceiveMessage/DeleteMessage/GetQueueAttributes for the event source mapping; SendMessage and
    # ChangeMessageVisibility for retries and callback jobs with delays.
    actions = [
      "sqs:ReceiveMessage",
      "sqs:DeleteMessage",
      "sqs:GetQueueAttributes",
      "sqs:ChangeMessageVisibility",
      "sqs:SendMessage",
    ]
    resources = [aws_sqs_queue.jobs.arn]
  }

  statement {
    sid       = "Secrets"
    actions   = ["ssm:GetParameter"]
    resources = [local.slack_parameter_arns["slack_bot_token"], local.client_secret_path_arn]
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

resource "aws_iam_role_policy" "processor" {
  name   = "processor"
  role   = aws_iam_role.processor.id
  policy = data.aws_iam_policy_document.processor.json
}
