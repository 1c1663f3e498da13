variable "box_client_secret" {
  description = "The client secret of the Box app."
  type        = string
  sensitive   = true
}

# Client-credentials grant (server authentication with CCG), as the
# enterprise's service account. Set user_id instead of enterprise_id to act
# as a managed user.
provider "box" {
  client_id     = "hxj3x2ukqcqmhm1m5xjaydfcvxzbt7n9"
  client_secret = var.box_client_secret
  enterprise_id = "1234567"
}
