# Find the NDAs in the folder 123456789 (Terraform 1.14 and later):
#   terraform query -generate-config-out=found.tf
# The generated box_file blocks have `source = null`: set each to the local
# copy of the file before applying.
list "box_file" "ndas" {
  provider         = box
  include_resource = true

  config {
    folder_id   = "123456789"
    name_prefix = "NDA"
  }
}
