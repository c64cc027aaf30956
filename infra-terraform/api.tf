resource "aws_apigatewayv2_api" "http" {
  name          = local.name
  protocol_type = "HTTP"
  description   = "Slack bot and signed scan API"
}

resource "aws_cloudwatch_log_group" "api_access" {
  name              = "/aws/apigateway/${local.name}"
  retention_in_days = var.log_retention_days
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.http.id
  name        = "$default"
  auto_deploy = true

  default_route_settings {
    throttling_rate_limit  = var.api_throttle.rate_limit
    throttling_burst_limit = var.api_throttle.burst_limit
  }

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.api_access.arn
    format = jsonencode({
      requestId      = "$context.requestId"
      routeKey       = "$context.routeKey"
      status         = "$context.status"
      latency        = "$context.responseLatency"
      integration    = "$context.integration.status"
      integrationErr = "$context.integrationErrorMessage"
      sourceIp       = "$context.identity.sourceIp"
    })
  }
}

# Which function answers which route; the processor has none (it is reached only through SQS).
locals {
  # Integration timeout per function behind the API: Slack wants an answer within 3 s, API Gateway stops at 30 s.
  api_functions = {
    bot      = { timeout_milliseconds = 10000 }
    webhooks = { timeout_milliseconds = 30000 }
  }

  api_routes = {
    slack_events   = { route_key = "POST /slack/events", function = "bot" }
    slack_commands = { route_key = "POST /slack/commands", function = "bot" }
    scan_api       = { route_key = "ANY /v1/{proxy+}", function = "webhooks" }
    openapi        = { route_key = "GET /openapi/{proxy+}", function = "webhooks" }
    healthz        = { route_key = "GET /healthz", function = "webhooks" }
  }
}

# Payload format 2.0: the Web Adapter rebuilds the raw HTTP request (headers, base64 binary bodies), so the
# hosts verify signatures over the exact bytes the caller sent.
resource "aws_apigatewayv2_integration" "function" {
  for_each = local.api_functions

  api_id                 = aws_apigatewayv2_api.http.id
  integration_type       = "AWS_PROXY"
  integration_uri        = aws_lambda_function.function[each.key].invoke_arn
  payload_format_version = "2.0"
  timeout_milliseconds   = each.value.timeout_milliseconds
}

resource "aws_apigatewayv2_route" "route" {
  for_each = local.api_routes

  api_id    = aws_apigatewayv2_api.http.id
  route_key = each.value.route_key
  target    = "integrations/${aws_apigatewayv2_integration.function[each.value.function].id}"
}

resource "aws_lambda_permission" "api" {
  for_each = local.api_functions

  statement_id  = "AllowApiGatewayInvoke"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.function[each.key].function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.http.execution_arn}/*/*"
}
