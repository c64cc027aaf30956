# Old addresses, so that existing stacks move their resources instead of destroying and recreating them.
# Terraform needs one literal block per address (moved blocks take no for_each).

# The functions, their roles and inline policies became one for_each each.
moved {
  from = aws_lambda_function.bot
  to   = aws_lambda_function.function["bot"]
}

moved {
  from = aws_lambda_function.webhooks
  to   = aws_lambda_function.function["webhooks"]
}

moved {
  from = aws_lambda_function.processor
  to   = aws_lambda_function.function["processor"]
}

moved {
  from = aws_iam_role.bot
  to   = aws_iam_role.function["bot"]
}

moved {
  from = aws_iam_role.webhooks
  to   = aws_iam_role.function["webhooks"]
}

moved {
  from = aws_iam_role.processor
  to   = aws_iam_role.function["processor"]
}

moved {
  from = aws_iam_role_policy.bot
  to   = aws_iam_role_policy.function["bot"]
}

moved {
  from = aws_iam_role_policy.webhooks
  to   = aws_iam_role_policy.function["webhooks"]
}

moved {
  from = aws_iam_role_policy.processor
  to   = aws_iam_role_policy.function["processor"]
}

# The two buckets share one hardened pattern, lifecycle rules included.
moved {
  from = aws_s3_bucket.images
  to   = aws_s3_bucket.private["images"]
}

moved {
  from = aws_s3_bucket_ownership_controls.images
  to   = aws_s3_bucket_ownership_controls.private["images"]
}

moved {
  from = aws_s3_bucket_public_access_block.images
  to   = aws_s3_bucket_public_access_block.private["images"]
}

moved {
  from = aws_s3_bucket_server_side_encryption_configuration.images
  to   = aws_s3_bucket_server_side_encryption_configuration.private["images"]
}

moved {
  from = aws_s3_bucket_policy.images
  to   = aws_s3_bucket_policy.private["images"]
}

moved {
  from = aws_s3_bucket_lifecycle_configuration.images
  to   = aws_s3_bucket_lifecycle_configuration.private["images"]
}

moved {
  from = aws_s3_bucket.artifacts
  to   = aws_s3_bucket.private["artifacts"]
}

moved {
  from = aws_s3_bucket_ownership_controls.artifacts
  to   = aws_s3_bucket_ownership_controls.private["artifacts"]
}

moved {
  from = aws_s3_bucket_public_access_block.artifacts
  to   = aws_s3_bucket_public_access_block.private["artifacts"]
}

moved {
  from = aws_s3_bucket_server_side_encryption_configuration.artifacts
  to   = aws_s3_bucket_server_side_encryption_configuration.private["artifacts"]
}

moved {
  from = aws_s3_bucket_policy.artifacts
  to   = aws_s3_bucket_policy.private["artifacts"]
}

moved {
  from = aws_s3_bucket_lifecycle_configuration.artifacts
  to   = aws_s3_bucket_lifecycle_configuration.private["artifacts"]
}

# API integrations, routes and permissions became for_each over the routes table.
moved {
  from = aws_apigatewayv2_integration.bot
  to   = aws_apigatewayv2_integration.function["bot"]
}

moved {
  from = aws_apigatewayv2_integration.webhooks
  to   = aws_apigatewayv2_integration.function["webhooks"]
}

moved {
  from = aws_apigatewayv2_route.slack_events
  to   = aws_apigatewayv2_route.route["slack_events"]
}

moved {
  from = aws_apigatewayv2_route.slack_commands
  to   = aws_apigatewayv2_route.route["slack_commands"]
}

moved {
  from = aws_apigatewayv2_route.scan_api
  to   = aws_apigatewayv2_route.route["scan_api"]
}

moved {
  from = aws_apigatewayv2_route.openapi
  to   = aws_apigatewayv2_route.route["openapi"]
}

moved {
  from = aws_apigatewayv2_route.healthz
  to   = aws_apigatewayv2_route.route["healthz"]
}

moved {
  from = aws_lambda_permission.api_bot
  to   = aws_lambda_permission.api["bot"]
}

moved {
  from = aws_lambda_permission.api_webhooks
  to   = aws_lambda_permission.api["webhooks"]
}

# The alarms became one for_each over the alarm table.
moved {
  from = aws_cloudwatch_metric_alarm.dlq_depth
  to   = aws_cloudwatch_metric_alarm.alarm["jobs-dlq-not-empty"]
}

moved {
  from = aws_cloudwatch_metric_alarm.queue_age
  to   = aws_cloudwatch_metric_alarm.alarm["jobs-oldest-message-age"]
}

moved {
  from = aws_cloudwatch_metric_alarm.function_errors["bot"]
  to   = aws_cloudwatch_metric_alarm.alarm["bot-errors"]
}

moved {
  from = aws_cloudwatch_metric_alarm.function_errors["webhooks"]
  to   = aws_cloudwatch_metric_alarm.alarm["webhooks-errors"]
}

moved {
  from = aws_cloudwatch_metric_alarm.function_errors["processor"]
  to   = aws_cloudwatch_metric_alarm.alarm["processor-errors"]
}

moved {
  from = aws_cloudwatch_metric_alarm.function_throttles["bot"]
  to   = aws_cloudwatch_metric_alarm.alarm["bot-throttles"]
}

moved {
  from = aws_cloudwatch_metric_alarm.function_throttles["webhooks"]
  to   = aws_cloudwatch_metric_alarm.alarm["webhooks-throttles"]
}

moved {
  from = aws_cloudwatch_metric_alarm.function_throttles["processor"]
  to   = aws_cloudwatch_metric_alarm.alarm["processor-throttles"]
}
