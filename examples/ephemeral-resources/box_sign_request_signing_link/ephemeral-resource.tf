# A request signed inside your own app: the signer has embed_url_external_user_id,
# so Box makes a signing link for them.
resource "box_sign_request" "kiosk" {
  source_file_ids = ["1234567890"]

  signer {
    email                      = "visitor@example.com"
    embed_url_external_user_id = "visitor-42"
    suppress_notifications     = true
  }
}

# The link is read when Terraform needs it and never stored in the plan or the
# state (box_sign_request.kiosk.signer[0].embed_url holds the same link, marked
# sensitive, but in the state). Pass it on to something that keeps secrets,
# such as a write-only argument or another provider's configuration.
ephemeral "box_sign_request_signing_link" "kiosk" {
  id    = box_sign_request.kiosk.id
  email = "visitor@example.com"
}
