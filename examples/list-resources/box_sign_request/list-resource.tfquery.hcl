# Find the NDAs still out for signature (Terraform 1.14 and later):
#   terraform query
# and write their configuration and import blocks to a file:
#   terraform query -generate-config-out=found.tf
list "box_sign_request" "pending_ndas" {
  provider         = box
  include_resource = true

  config {
    name_prefix = "NDA"
    status      = ["sent", "viewed"]
  }
}
