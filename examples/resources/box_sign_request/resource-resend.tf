# Remind the outstanding signers without sending a new request: raise
# resend_version (here from 1 to 2) and apply. The plan shows an in-place
# update. Box allows one reminder every 10 minutes.
resource "box_sign_request" "nda" {
  source_file_ids = ["1234567890"]
  name            = "NDA"
  resend_version  = 2

  signer {
    email = "alice@example.com"
  }
}
