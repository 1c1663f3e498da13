# One NDA per contractor. A change to any argument replaces a request and
# emails its signers again, even a request that is already signed: guard
# them. prevent_destroy makes such a plan fail instead; ignore_changes keeps
# a later edit of these arguments from replacing the requests already sent.
variable "contractors" {
  type = map(string) # name => email
  default = {
    alice = "alice@example.com"
    bob   = "bob@example.com"
  }
}

resource "box_sign_request" "contractor_nda" {
  for_each = var.contractors

  source_file_ids  = ["1234567890"]
  parent_folder_id = "987654321"
  name             = "NDA - ${each.key}"
  email_message    = "Please sign the contractor NDA."

  signer {
    email = each.value
  }

  lifecycle {
    prevent_destroy = true
    ignore_changes  = [email_message, email_subject]
  }
}

# Fails the check (a warning on every plan and apply) while any request is
# declined or expired. Send an expired one again with
#   terraform apply -replace='box_sign_request.contractor_nda["bob"]'
check "contractor_ndas_alive" {
  assert {
    condition = alltrue([
      for r in box_sign_request.contractor_nda : !contains(["declined", "expired"], r.status)
    ])
    error_message = "Declined or expired NDAs: ${join(", ", [for k, r in box_sign_request.contractor_nda : "${k} (${r.status})" if contains(["declined", "expired"], r.status)])}."
  }
}
