# SecureString parameters named after configuration keys: CatWrangler:Slack:BotToken lives at
# <ssm_prefix>/CatWrangler/Slack/BotToken. Terraform creates each with an unguessable placeholder and never
# touches the value again: the real secrets are set out of band (aws ssm put-parameter --overwrite), so they
# never pass through Terraform variables or plans.
locals {
  ssm_prefix = "/${var.project}/${var.environment}"

  slack_secret_keys = {
    slack_signing_secret = "CatWrangler/Slack/SigningSecret"
    slack_bot_token      = "CatWrangler/Slack/BotToken"
  }

  # Plain settings beside the secrets: every client is named (the API knows no other ids) with its scopes, and the
  # Slack users allowed /catscan debug. Terraform owns these values.
  client_settings = merge(
    { for id, client in var.api_clients : "client_${id}_enabled" => { name = "CatWrangler/Clients/${id}/Enabled", value = "true" } },
    merge([
      for id, client in var.api_clients : {
        for n, scope in client.scopes : "client_${id}_scope_${n}" => { name = "CatWrangler/Clients/${id}/Scopes/${n}", value = scope }
      }
    ]...),
    { for n, user in var.slack_power_users : "power_user_${n}" => { name = "CatWrangler/Slack/PowerUsers/${n}", value = user } },
  )

  client_secret_keys = merge([
    for id, client in var.api_clients : {
      for slot in range(client.secret_slots) : "client_${id}_${slot}" => "CatWrangler/Clients/${id}/Secrets/${slot}"
    }
  ]...)
}

resource "aws_ssm_parameter" "slack" {
  for_each = local.slack_secret_keys

  name        = "${local.ssm_prefix}/${each.value}"
  description = "Set out of band; Terraform only creates the parameter."
  type        = "SecureString"
  value       = "unset-${uuid()}"

  lifecycle {
    ignore_changes = [value]
  }
}

resource "aws_ssm_parameter" "client_secret" {
  for_each = local.client_secret_keys

  name        = "${local.ssm_prefix}/${each.value}"
  description = "Scan API client secret (whsec_...); set out of band."
  type        = "SecureString"
  value       = "unset-${uuid()}"

  lifecycle {
    ignore_changes = [value]
  }
}

resource "aws_ssm_parameter" "setting" {
  for_each = local.client_settings

  name        = "${local.ssm_prefix}/${each.value.name}"
  description = "Managed by Terraform (api_clients, slack_power_users)."
  type        = "String"
  value       = each.value.value
}
