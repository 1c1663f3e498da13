# Archive a request's evidence before Terraform lets go of it (Terraform 1.16
# and later): a destroy, or a replacement after a changed argument, runs the
# action first, with caller being the request about to be cancelled.
#
# on_failure = continue lets a request that is still waiting for signatures
# be cancelled anyway (there is nothing final to archive yet; the failure
# shows as a warning). Use halt, the default, to stop the destroy whenever
# the archive fails, including for an unfinished request.
resource "box_sign_request" "nda" {
  source_file_ids = ["1234567890"]
  name            = "NDA"
  cancel_reason   = "Replaced by a new version of the NDA"

  signer {
    email = "alice@example.com"
  }

  lifecycle {
    action_trigger {
      events     = [before_destroy]
      actions    = [action.box_sign_request_archive.nda]
      on_failure = continue
    }
  }
}

action "box_sign_request_archive" "nda" {
  config {
    sign_request_id       = caller.id
    destination_folder_id = "987654321"
    local_directory       = "${path.root}/evidence"
  }
}
