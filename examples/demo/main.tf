# The demo that `make demo` runs against the Box API emulator, and the
# getting-started guide's configuration for real Box: one apply sets
# everything up. The admin (developer token) makes a folder, uploads the NDA
# kept next to this file and collaborates the app's service account on the
# folder; the service account (client credentials, an aliased provider)
# sends the sign request. Both providers read the API address from
# BOX_API_BASE_URL, which is unset for real Box.
terraform {
  required_providers {
    box = {
      source = "box/box"
    }
  }
}

variable "developer_token" {
  description = "The admin's developer token."
  type        = string
  sensitive   = true
}

variable "client_id" {
  description = "Client ID of the Platform App (client credentials)."
  type        = string
}

variable "client_secret" {
  description = "Client secret of the Platform App."
  type        = string
  sensitive   = true
}

variable "enterprise_id" {
  description = "The enterprise whose service account sends the request."
  type        = string
}

variable "signed_copies_folder_id" {
  description = "A folder Terraform does not manage, where Box keeps the signed copies and the signing log; the service account must be able to upload there. They survive terraform destroy."
  type        = string
}

variable "alice_password" {
  description = "The password Alice must type before the document opens."
  type        = string
  sensitive   = true
  default     = "correct-horse-battery"
}

# The admin.
provider "box" {
  access_token = var.developer_token
}

# The app's service account.
provider "box" {
  alias         = "service"
  client_id     = var.client_id
  client_secret = var.client_secret
  enterprise_id = var.enterprise_id
}

data "box_current_user" "service" {
  provider = box.service
}

resource "box_folder" "contracts" {
  name        = "Demo contracts"
  description = "Made by make demo"
}

# Editing nda.pdf plans one new version of this file, in place.
resource "box_file" "nda" {
  source    = "${path.module}/nda.pdf"
  name      = "Demo NDA.pdf"
  folder_id = box_folder.contracts.id
}

# The service account sees nothing until it is collaborated.
resource "box_collaboration" "service" {
  folder_id = box_folder.contracts.id
  user_id   = data.box_current_user.service.id
  role      = "editor"
}

# A new version of the NDA keeps the file's ID and does not replace this
# request (which would email the signers again); add
# `lifecycle { replace_triggered_by = [box_file.nda.version_id] }` to ask
# for that.
resource "box_sign_request" "nda" {
  provider = box.service

  source_file_ids  = [box_file.nda.id]
  parent_folder_id = var.signed_copies_folder_id
  name             = "Demo NDA"
  email_subject    = "Please sign the demo NDA"

  # Bob must enter the SMS code before he can even see the document.
  is_phone_verification_required_to_view = true

  signer {
    email    = "alice@example.com"
    order    = 1
    password = var.alice_password
  }

  signer {
    email                     = "bob@example.com"
    order                     = 2
    verification_phone_number = "+15551232190"
  }

  depends_on = [box_collaboration.service]
}

output "id" {
  value = box_sign_request.nda.id
}

output "status" {
  value = box_sign_request.nda.status
}

output "sender" {
  value = data.box_current_user.service.login
}

output "folder_id" {
  value = box_folder.contracts.id
}

output "signers" {
  value = [for s in box_sign_request.nda.signer : {
    email    = s.email
    viewed   = s.has_viewed_document
    decision = s.decision
  }]
}
