# Lower orders go first, equal orders at the same time: the approver approves,
# then both signers sign, then the final copy goes to legal.
resource "box_sign_request" "contract" {
  source_file_ids       = ["1234567890", "1234567891"]
  parent_folder_id      = "987654321"
  name                  = "Supply contract"
  email_message         = "Please review and sign the <b>supply contract</b>."
  days_valid            = 30
  are_reminders_enabled = true
  signature_color       = "blue"

  signer {
    email = "manager@example.com"
    role  = "approver"
    order = 1
  }

  signer {
    email = "alice@example.com"
    order = 2
  }

  signer {
    email          = "bob@example.net"
    order          = 2
    login_required = true
  }

  signer {
    email = "legal@example.com"
    role  = "final_copy_reader"
    order = 3
  }
}
