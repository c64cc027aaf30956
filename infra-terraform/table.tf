# One table for scans and idempotency keys (single-table design of DynamoScanStore, docs/aws.md):
#   scan             pk = "SCAN#<id>"             sk = "SCAN"
#   idempotency key  pk = "IDEM#<scope>#<key>"    sk = "IDEM"   (expires with expiresAt)
#   gsi1             gsi1pk = "CLIENT#<client id>" or "SLACK#<channel>", gsi1sk = receivedAt (ISO-8601) + "#" + id
resource "aws_dynamodb_table" "scans" {
  name                        = "${local.name}-scans"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "pk"
  range_key                   = "sk"
  deletion_protection_enabled = var.table_deletion_protection

  attribute {
    name = "pk"
    type = "S"
  }

  attribute {
    name = "sk"
    type = "S"
  }

  attribute {
    name = "gsi1pk"
    type = "S"
  }

  attribute {
    name = "gsi1sk"
    type = "S"
  }

  # "Recent scans in a Slack channel / for an API client", newest first (ScanIndexForward = false).
  global_secondary_index {
    name            = "gsi1"
    hash_key        = "gsi1pk"
    range_key       = "gsi1sk"
    projection_type = "ALL"
  }

  # The code writes expiresAt (epoch seconds); DynamoDB deletes expired items within a few days.
  ttl {
    attribute_name = "expiresAt"
    enabled        = true
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled = true
  }
}
