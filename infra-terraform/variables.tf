variable "region" {
  description = "AWS region for every resource."
  type        = string
  default     = "eu-west-1"
}

variable "project" {
  description = "Name prefix for every resource."
  type        = string
  default     = "catwrangler"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,20}$", var.project))
    error_message = "project must be 2-21 lower-case letters, digits or dashes (it becomes part of bucket names)."
  }
}

variable "environment" {
  description = "Environment name (dev, prod, ...); part of every resource name."
  type        = string
  default     = "dev"

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,9}$", var.environment))
    error_message = "environment must be 2-10 lower-case letters or digits."
  }
}

variable "tags" {
  description = "Extra tags for every resource."
  type        = map(string)
  default     = {}
}

# --- code and runtime ---

variable "lambda_adapter_layer_version" {
  description = "Version of AWS's LambdaAdapterLayerX86 layer (AWS Lambda Web Adapter), pinned; the ARN is built for var.region."
  type        = number
  default     = 30

  validation {
    condition     = var.lambda_adapter_layer_version >= 1 && floor(var.lambda_adapter_layer_version) == var.lambda_adapter_layer_version
    error_message = "lambda_adapter_layer_version must be a whole layer version number, e.g. 30."
  }
}

variable "package_directory" {
  description = "Folder holding bot.zip, webhooks.zip and processor.zip as written by tools/package.sh."
  type        = string
  default     = "../artifacts/lambda"
}

# What the three functions differ in, one row each. Override the whole map (every function, every field) to change it.
variable "functions" {
  description = "Per function: description, memory (MB; CPU share grows with it, 1 vCPU at 1,769 MB), timeout (s) and reserved concurrency (-1 = unreserved)."
  type = map(object({
    description          = string
    memory_mb            = number
    timeout_seconds      = number
    reserved_concurrency = optional(number, -1)
  }))
  default = {
    # Slack wants an answer within 3 s; the bot only validates, writes a row and enqueues.
    bot = { description = "Slack events and slash commands", memory_mb = 512, timeout_seconds = 10 }
    # Stores the upload in S3 before answering 202; API Gateway itself stops at 30 s.
    webhooks = { description = "Signed scan API (/v1)", memory_mb = 512, timeout_seconds = 29 }
    # One SQS batch: download, decode, classify (CPU-bound ONNX inference), notify. Keep reserved concurrency at or
    # above processor_event_source.maximum_concurrency (or -1), or SQS batches get throttled.
    processor = { description = "SQS jobs: ingest, classify, notify", memory_mb = 2048, timeout_seconds = 120 }
  }

  validation {
    condition     = length(var.functions) == 3 && alltrue([for name in ["bot", "webhooks", "processor"] : contains(keys(var.functions), name)])
    error_message = "functions must have exactly the keys bot, webhooks and processor."
  }

  validation {
    condition     = alltrue([for f in var.functions : f.memory_mb >= 128 && f.memory_mb <= 10240 && f.timeout_seconds >= 1 && f.timeout_seconds <= 900 && f.reserved_concurrency >= -1])
    error_message = "functions: memory_mb must be 128-10240, timeout_seconds 1-900 (Lambda limits), reserved_concurrency -1 or more."
  }
}

variable "processor_event_source" {
  description = "The SQS event source that feeds the processor: messages per invocation (batch_size) and most concurrent invocations it starts (maximum_concurrency, 2-1000; this, not reserved concurrency, is the cost brake)."
  type = object({
    batch_size          = optional(number, 5)
    maximum_concurrency = optional(number, 5)
  })
  default = {}

  validation {
    condition     = var.processor_event_source.maximum_concurrency >= 2 && var.processor_event_source.maximum_concurrency <= 1000 && var.processor_event_source.batch_size >= 1 && var.processor_event_source.batch_size <= 10
    error_message = "processor_event_source: maximum_concurrency must be 2-1000 and batch_size 1-10 (SQS event source limits without a batching window)."
  }
}

variable "log_retention_days" {
  description = "CloudWatch Logs retention for function and API access logs."
  type        = number
  default     = 14
}

# --- behaviour ---

variable "detector_kind" {
  description = "onnx (the bundled model inside the processor) or rekognition (Amazon Rekognition DetectLabels)."
  type        = string
  default     = "onnx"

  validation {
    condition     = contains(["onnx", "rekognition"], var.detector_kind)
    error_message = "detector_kind must be onnx or rekognition."
  }
}

variable "detector_threshold" {
  description = "Decision threshold; null keeps the detector's calibrated default."
  type        = number
  default     = null
}

variable "rekognition_min_confidence" {
  description = "With detector_kind = rekognition: DetectLabels MinConfidence (0-100); labels below it are not returned."
  type        = number
  default     = 50

  validation {
    condition     = var.rekognition_min_confidence >= 0 && var.rekognition_min_confidence <= 100
    error_message = "rekognition_min_confidence must be between 0 and 100."
  }
}

variable "retention_days" {
  description = "How long scans (DynamoDB TTL on expiresAt) and images (S3 lifecycle) are kept."
  type        = number
  default     = 30
}

variable "max_receive_count" {
  description = "Deliveries of one SQS message before it moves to the dead-letter queue."
  type        = number
  default     = 5
}

variable "api_max_upload_bytes" {
  description = "Largest image the scan API accepts on Lambda: a synchronous invocation carries at most 6 MB and API Gateway base64-encodes binary bodies, so about 4.4 MB raw is the ceiling."
  type        = number
  default     = 4194304
}

variable "api_throttle" {
  description = "What API Gateway lets through across all routes: steady-state requests per second (rate_limit) and bursts (burst_limit). Set both together."
  type        = object({ rate_limit = number, burst_limit = number })
  default     = { rate_limit = 20, burst_limit = 40 }

  validation {
    condition     = var.api_throttle.rate_limit >= 0 && var.api_throttle.burst_limit >= 0 && floor(var.api_throttle.burst_limit) == var.api_throttle.burst_limit
    error_message = "api_throttle: rate_limit must be 0 or more and burst_limit a whole number, 0 or more."
  }
}

variable "slack_power_users" {
  description = "Slack user ids allowed to use /catscan debug."
  type        = list(string)
  default     = []
}

variable "api_clients" {
  description = "Scan API callers: client id => scopes (e.g. [\"debug\"]) and how many secret slots (2 during rotation). Secrets live in SSM and are set out of band."
  type = map(object({
    scopes       = optional(list(string), [])
    secret_slots = optional(number, 1)
  }))
  default = {}

  validation {
    # The app's rule (ApiClientRegistry.IdPattern): each id is part of SSM parameter names and configuration keys
    # (CatWrangler/Clients/<id>/Scopes/<n>), and of environment names when a host is configured by environment.
    condition     = alltrue([for id, c in var.api_clients : length(id) <= 64 && can(regex("^[A-Za-z0-9]+(_[A-Za-z0-9]+)*$", id)) && c.secret_slots >= 1 && c.secret_slots <= 3])
    error_message = "api_clients keys must be 1-64 letters or digits, optionally joined by single '_' (no '-', no '__'), with 1-3 secret slots."
  }
}

variable "force_destroy_buckets" {
  description = "Let `terraform destroy` delete non-empty buckets (dev only)."
  type        = bool
  default     = false
}

variable "table_deletion_protection" {
  description = "Refuse to delete the scans table."
  type        = bool
  default     = true
}

variable "alarm_email" {
  description = "E-mail address subscribed to the alarm topic; null for none (subscribe something else to the topic output)."
  type        = string
  default     = null
}
