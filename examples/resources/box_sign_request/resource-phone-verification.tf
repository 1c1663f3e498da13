# Box sends Bob an SMS code that he must enter. With
# is_phone_verification_required_to_view = true he enters it before the
# document opens; without it, at the signing step.
resource "box_sign_request" "phone" {
  source_file_ids = ["1234567890"]
  name            = "NDA"

  is_phone_verification_required_to_view = true

  signer {
    email                     = "bob@example.com"
    verification_phone_number = "+15551232190"
  }
}
