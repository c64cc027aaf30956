# Example values for a development stack: terraform plan -var-file=dev.tfvars
region      = "eu-west-1"
environment = "dev"

# Pinned AWS Lambda Web Adapter (x86_64) in the same region.
lambda_adapter_layer_arn = "arn:aws:lambda:eu-west-1:753240598075:layer:LambdaAdapterLayerX86:30"

detector_kind       = "onnx"
processor_memory_mb = 2048

processor_max_concurrency = 2
log_retention_days        = 7
retention_days            = 30

slack_power_users = ["U0123456789"]

api_clients = {
  acme = { scopes = ["debug"], secret_slots = 2 }
}

# Dev stacks are throw-away.
force_destroy_buckets     = true
table_deletion_protection = false

alarm_email = null
