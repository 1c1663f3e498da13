# Find the client folders in the folder 123456789 (Terraform 1.14 and later):
#   terraform query
# and write their configuration and import blocks to a file:
#   terraform query -generate-config-out=found.tf
list "box_folder" "clients" {
  provider         = box
  include_resource = true

  config {
    folder_id   = "123456789"
    name_prefix = "Client "
  }
}
