# A small module to test offline: a folder, a document uploaded into it, a
# reviewer collaborated on the folder, and a sign request whose signer must
# type a password. tests/ tests it with `terraform test` against the Box API
# emulator (`make test-examples`, or the testing guide's CI job). The
# provider is configured by the caller or the environment (BOX_API_BASE_URL,
# BOX_CLIENT_ID, ...), so the module runs unchanged against real Box.
terraform {
  required_providers {
    box = {
      source = "box/box"
    }
  }
}

variable "folder_name" {
  description = "Name of the folder made in the authenticated user's root."
  type        = string
}

variable "reviewer_login" {
  description = "Login (email) of a Box user who may view the folder."
  type        = string
}

variable "signer_email" {
  description = "Who signs the agreement."
  type        = string
}

variable "signer_password" {
  description = "The password the signer types before the document opens."
  type        = string
  sensitive   = true
}

resource "box_folder" "this" {
  name = var.folder_name
  # The signed copy and the signing log land here too: let destroy take them.
  delete_contents = true
}

resource "box_file" "agreement" {
  source    = "${path.module}/agreement.txt"
  folder_id = box_folder.this.id
}

resource "box_collaboration" "reviewer" {
  folder_id = box_folder.this.id
  login     = var.reviewer_login
  role      = "viewer"
}

resource "box_sign_request" "agreement" {
  source_file_ids  = [box_file.agreement.id]
  parent_folder_id = box_folder.this.id
  name             = "Agreement"

  signer {
    email    = var.signer_email
    password = var.signer_password
  }
}

output "folder_id" {
  value = box_folder.this.id
}

output "sign_request_id" {
  value = box_sign_request.agreement.id
}

output "status" {
  value = box_sign_request.agreement.status
}
