# Find this app's webhooks on folders the user owns (Terraform 1.14 and later):
#   terraform query
# and write their configuration and import blocks to a file:
#   terraform query -generate-config-out=found.tf
list "box_webhook" "folders" {
  provider         = box
  include_resource = true

  config {
    target_type = "folder"
  }
}
