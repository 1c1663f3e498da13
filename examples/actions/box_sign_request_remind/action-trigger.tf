# Remind the signers whenever reminder_round is raised: the change updates
# terraform_data.reminder in place, and its after_update trigger runs the
# action in the same apply. Creating it triggers nothing, which is what Box
# needs: it sends no reminder within 10 minutes of sending the request.
variable "reminder_round" {
  type    = number
  default = 1
}

resource "box_sign_request" "nda" {
  source_file_ids = ["1234567890"]
  name            = "NDA"

  signer {
    email = "alice@example.com"
  }
}

resource "terraform_data" "reminder" {
  input = var.reminder_round

  lifecycle {
    action_trigger {
      events  = [after_update]
      actions = [action.box_sign_request_remind.nda]
    }
  }
}

action "box_sign_request_remind" "nda" {
  config {
    sign_request_id = box_sign_request.nda.id
  }
}
