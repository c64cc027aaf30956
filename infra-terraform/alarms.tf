# Not encrypted with the AWS-managed aws/sns key: CloudWatch alarms cannot publish to topics using it (they would need
# a customer-managed key whose policy admits cloudwatch.amazonaws.com). Alarm messages carry no secrets.
resource "aws_sns_topic" "alarms" {
  name = "${local.name}-alarms"
}

resource "aws_sns_topic_subscription" "alarm_email" {
  count = var.alarm_email == null ? 0 : 1

  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

# Every alarm, one row each; all fire when the statistic over one 5-minute period exceeds the threshold.
locals {
  queue_alarms = {
    # Any message in the DLQ is a scan that gave up: someone should look.
    jobs-dlq-not-empty = {
      namespace   = "AWS/SQS", metric_name = "ApproximateNumberOfMessagesVisible", statistic = "Maximum", threshold = 0,
      dimensions  = { QueueName = aws_sqs_queue.dlq.name }
      description = "Jobs reached the dead-letter queue after ${var.max_receive_count} deliveries."
    }
    # Work piling up: the processor is failing, throttled or too slow.
    jobs-oldest-message-age = {
      namespace   = "AWS/SQS", metric_name = "ApproximateAgeOfOldestMessage", statistic = "Maximum", threshold = 900,
      dimensions  = { QueueName = aws_sqs_queue.jobs.name }
      description = "The oldest job has waited more than 15 minutes."
    }
  }

  # Per function: <function>-errors and <function>-throttles, any in 5 minutes.
  function_alarm_metrics = {
    errors    = { metric_name = "Errors", what = "returned errors (unhandled exceptions, timeouts, out of memory)" }
    throttles = { metric_name = "Throttles", what = "was throttled (reserved or account concurrency exhausted)" }
  }

  function_alarms = merge([for fn in keys(var.functions) : {
    for kind, m in local.function_alarm_metrics : "${fn}-${kind}" => {
      description = "${fn} ${m.what}."
      namespace   = "AWS/Lambda"
      metric_name = m.metric_name
      dimensions  = { FunctionName = aws_lambda_function.function[fn].function_name }
      statistic   = "Sum"
      threshold   = 0
    }
  }]...)

  alarms = merge(local.queue_alarms, local.function_alarms)
}

resource "aws_cloudwatch_metric_alarm" "alarm" {
  for_each = local.alarms

  alarm_name          = "${local.name}-${each.key}"
  alarm_description   = each.value.description
  namespace           = each.value.namespace
  metric_name         = each.value.metric_name
  dimensions          = each.value.dimensions
  statistic           = each.value.statistic
  period              = 300
  evaluation_periods  = 1
  threshold           = each.value.threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
}
