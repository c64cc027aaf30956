# Example values for a development stack: terraform plan -var-file=dev.tfvars
region      = "eu-west-1"
environment = "dev"

# Pinned AWS Lambda Web Adapter (x86_64) layer version; the ARN is built for the region.
lambda_adapter_layer_version = 30

detector_kind = "onnx"

functions = {
  bot       = { description = "Slack events and slash commands", memory_mb = 512, timeout_seconds = 10 }
  webhooks  = { description = "Signed scan API (/v1)", memory_mb = 512, timeout_seconds = 29 }
  processor = { description = "SQS jobs: ingest, classify, notify", memory_mb = 2048, timeout_seconds = 120 }
}

processor_event_source = { maximum_concurrency = 2 }
log_retention_days     = 7
retention_days         = 30

slack_power_users = ["U0123456789"]

api_clients = {
  acme = { scopes = ["debug"], secret_slots = 2 }
}

# Dev stacks are throw-away.
force_destroy_buckets     = true
table_deletion_protection = false

alarm_email = null
