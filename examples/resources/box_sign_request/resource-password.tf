variable "alice_password" {
  description = "The password Alice must type before the document opens."
  type        = string
  sensitive   = true
}

# Alice must type the password before she can open the document. Tell her the
# password through another channel: Box does not send it.
resource "box_sign_request" "password" {
  source_file_ids = ["1234567890"]
  name            = "NDA"

  signer {
    email    = "alice@example.com"
    password = var.alice_password
  }
}
