# Calls the module under test, or not: a run with `deployed = false`
# destroys it, so that a later run can check what it left behind
# (terraform test's own destroy comes after its last run).
terraform {
  required_providers {
    box = {
      source = "box/box"
    }
  }
}

variable "deployed" {
  type    = bool
  default = true
}

variable "folder_name" {
  type = string
}

variable "reviewer_login" {
  type = string
}

variable "signer_email" {
  type = string
}

variable "signer_password" {
  type      = string
  sensitive = true
}

module "agreement" {
  source = "../.."
  count  = var.deployed ? 1 : 0

  folder_name     = var.folder_name
  reviewer_login  = var.reviewer_login
  signer_email    = var.signer_email
  signer_password = var.signer_password
}

# Every request the authenticated user can still see, read at plan time
# (so a run sees what the runs before it left). Box leaves out a request
# whose signed copies or folder were deleted.
data "box_sign_requests" "visible" {}

output "status" {
  value = one(module.agreement[*].status)
}

output "sign_request_id" {
  value = one(module.agreement[*].sign_request_id)
}

output "visible_request_ids" {
  value = data.box_sign_requests.visible.sign_requests[*].id
}
