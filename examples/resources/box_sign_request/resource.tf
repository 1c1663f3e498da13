# Send one PDF to two people. Box emails each signer a link; the signed copy
# and the signing log land in parent_folder_id.
resource "box_sign_request" "nda" {
  source_file_ids  = ["1234567890"]
  parent_folder_id = "987654321"
  name             = "NDA"
  email_subject    = "Please sign the NDA"
  email_message    = "Hello! Please sign the <b>NDA</b> before our meeting."

  signer {
    email = "alice@example.com"
  }

  signer {
    email = "bob@example.com"
  }
}
