# Two private buckets, hardened the same way: images (content-addressed uploads and Slack downloads, kept for
# retention_days) and artifacts (function packages, versioned so each function pins the exact object it runs).
locals {
  private_buckets = {
    images    = "${local.name}-images-${local.account_id}"
    artifacts = "${local.name}-artifacts-${local.account_id}"
  }
}

resource "aws_s3_bucket" "private" {
  for_each = local.private_buckets

  bucket        = each.value
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

resource "aws_s3_bucket_lifecycle_configuration" "images" {
  bucket = aws_s3_bucket.private["images"].id

  # Every key: the content-addressed images and the annotated/<scan id>.png pictures drawn for scans with cats.
  rule {
    id     = "expire-images"
    status = "Enabled"

    filter {}

    expiration {
      days = var.retention_days
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  # Presigned uploads are staged here and copied or discarded within minutes; anything left is abandoned.
  rule {
    id     = "expire-staged-uploads"
    status = "Enabled"

    filter {
      prefix = "uploads/"
    }

    expiration {
      days = 1
    }
  }
}

resource "aws_s3_bucket_versioning" "artifacts" {
  bucket = aws_s3_bucket.private["artifacts"].id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "artifacts" {
  bucket = aws_s3_bucket.private["artifacts"].id

  rule {
    id     = "expire-old-packages"
    status = "Enabled"

    filter {}

    noncurrent_version_expiration {
      noncurrent_days = 30
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

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

# Addresses before the two buckets shared one pattern.
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
