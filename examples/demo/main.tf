# The demo that `make demo` runs against the Box API emulator. The provider
# reads its settings from the environment (BOX_API_BASE_URL, BOX_ACCESS_TOKEN).
terraform {
  required_providers {
    box = {
      source = "box/box"
    }
  }
}

provider "box" {}

variable "file_id" {
  description = "ID of the PDF to sign."
  type        = string
}

variable "folder_id" {
  description = "ID of the folder that receives the signed copy."
  type        = string
}

variable "alice_password" {
  description = "The password Alice must type before the document opens."
  type        = string
  sensitive   = true
  default     = "correct-horse-battery"
}

resource "box_sign_request" "nda" {
  source_file_ids  = [var.file_id]
  parent_folder_id = var.folder_id
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
}

output "id" {
  value = box_sign_request.nda.id
}

output "status" {
  value = box_sign_request.nda.status
}

output "signers" {
  value = [for s in box_sign_request.nda.signer : {
    email    = s.email
    viewed   = s.has_viewed_document
    decision = s.decision
  }]
}
