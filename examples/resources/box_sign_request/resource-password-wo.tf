# An ephemeral variable never reaches the plan or the state, and the
# write-only password_wo accepts it (Terraform 1.11 and later).
variable "alice_password" {
  description = "The password Alice must type before the document opens."
  type        = string
  sensitive   = true
  ephemeral   = true
}

resource "box_sign_request" "password_wo" {
  source_file_ids = ["1234567890"]
  name            = "NDA"

  signer {
    email       = "alice@example.com"
    password_wo = var.alice_password
    # Terraform cannot see a write-only value change. To send a new password,
    # change this number too: that replaces the sign request.
    password_wo_version = 1
  }
}
