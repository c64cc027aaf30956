# Two private buckets, hardened the same way and told apart only by this table: images (content-addressed uploads and
# Slack downloads, kept for retention_days) and artifacts (function packages, versioned so each function pins the exact
# object it runs). Lifecycle rules are data: expiration_days expires current objects, noncurrent_days old versions,
# abort_multipart_days abandoned multipart uploads; null leaves that action out.
locals {
  private_buckets = {
    images = {
      name = "${local.name}-images-${local.account_id}"
      lifecycle_rules = [
        # Every key: the content-addressed images and the annotated/<scan id>.png pictures drawn for scans with cats.
        { id = "expire-images", prefix = null, expiration_days = var.retention_days, noncurrent_days = null, abort_multipart_days = 1 },
        # Presigned uploads are staged here and copied or discarded within minutes; anything left is abandoned.
        { id = "expire-staged-uploads", prefix = "uploads/", expiration_days = 1, noncurrent_days = null, abort_multipart_days = null },
      ]
    }
    artifacts = {
      name = "${local.name}-artifacts-${local.account_id}"
      lifecycle_rules = [
        { id = "expire-old-packages", prefix = null, expiration_days = null, noncurrent_days = 30, abort_multipart_days = 1 },
      ]
    }
  }
}

resource "aws_s3_bucket" "private" {
  for_each = local.private_buckets

  bucket        = each.value.name
  force_destroy = var.force_destroy_buckets
}

resource "aws_s3_bucket_ownership_controls" "private" {
  for_each = aws_s3_bucket.private

  bucket = each.value.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "private" {
  for_each = aws_s3_bucket.private

  bucket                  = each.value.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "private" {
  for_each = aws_s3_bucket.private

  bucket = each.value.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

data "aws_iam_policy_document" "private_bucket" {
  for_each = aws_s3_bucket.private

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [each.value.arn, "${each.value.arn}/*"]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "private" {
  for_each = aws_s3_bucket.private

  bucket = each.value.id
  policy = data.aws_iam_policy_document.private_bucket[each.key].json

  depends_on = [aws_s3_bucket_public_access_block.private]
}

resource "aws_s3_bucket_versioning" "artifacts" {
  bucket = aws_s3_bucket.private["artifacts"].id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "private" {
  for_each = aws_s3_bucket.private

  bucket = each.value.id

  dynamic "rule" {
    for_each = local.private_buckets[each.key].lifecycle_rules

    content {
      id     = rule.value.id
      status = "Enabled"

      # A null prefix is an empty filter: the rule covers the whole bucket.
      filter {
        prefix = rule.value.prefix
      }

      # [*] turns a null into no block and a number into one.
      dynamic "expiration" {
        for_each = rule.value.expiration_days[*]
        content {
          days = expiration.value
        }
      }

      dynamic "noncurrent_version_expiration" {
        for_each = rule.value.noncurrent_days[*]
        content {
          noncurrent_days = noncurrent_version_expiration.value
        }
      }

      dynamic "abort_incomplete_multipart_upload" {
        for_each = rule.value.abort_multipart_days[*]
        content {
          days_after_initiation = abort_incomplete_multipart_upload.value
        }
      }
    }
  }

  # Noncurrent-version rules only act once versioning is on.
  depends_on = [aws_s3_bucket_versioning.artifacts]
}

resource "aws_s3_object" "package" {
  for_each = var.functions

  bucket      = aws_s3_bucket.private["artifacts"].id
  key         = "lambda/${each.key}.zip"
  source      = "${var.package_directory}/${each.key}.zip"
  source_hash = filemd5("${var.package_directory}/${each.key}.zip")

  # Uploaded before versioning is on, the object has no version id and the functions would run it unpinned.
  depends_on = [aws_s3_bucket_versioning.artifacts]
}
