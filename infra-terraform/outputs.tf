output "api_base_url" {
  description = "Base URL of the HTTP API, without a trailing slash: replaces https://catwrangler.example.com in slack-manifest.yml."
  value       = trimsuffix(aws_apigatewayv2_stage.default.invoke_url, "/")
}

output "slack_events_url" {
  description = "slack-manifest.yml: settings.event_subscriptions.request_url (and interactivity, if enabled)."
  value       = "${trimsuffix(aws_apigatewayv2_stage.default.invoke_url, "/")}/slack/events"
}

output "slack_commands_url" {
  description = "slack-manifest.yml: features.slash_commands[].url for /catscan."
  value       = "${trimsuffix(aws_apigatewayv2_stage.default.invoke_url, "/")}/slack/commands"
}

output "scan_api_url" {
  description = "Base URL for API clients (catscan submit --url, POST /v1/scans)."
  value       = "${trimsuffix(aws_apigatewayv2_stage.default.invoke_url, "/")}/v1"
}

output "function_names" {
  description = "Lambda function names (aws logs tail /aws/lambda/<name>)."
  value       = { for name, f in aws_lambda_function.function : name => f.function_name }
}

output "images_bucket" {
  value = aws_s3_bucket.private["images"].id
}

output "artifacts_bucket" {
  value = aws_s3_bucket.private["artifacts"].id
}

output "scans_table" {
  value = aws_dynamodb_table.scans.name
}

output "jobs_queue_url" {
  value = aws_sqs_queue.jobs.url
}

output "dead_letter_queue_url" {
  value = aws_sqs_queue.dlq.url
}

output "alarm_topic_arn" {
  description = "Subscribe pager or chat integrations here."
  value       = aws_sns_topic.alarms.arn
}

output "secret_parameters" {
  description = "SSM SecureString parameters to fill with `aws ssm put-parameter --overwrite` (see docs/aws-deploy.md)."
  value       = concat([for p in aws_ssm_parameter.slack : p.name], [for p in aws_ssm_parameter.client_secret : p.name])
}
