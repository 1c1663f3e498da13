# Remind the signers of a request who have not signed yet (Terraform 1.14 and
# later), once per run of:
#   terraform apply -invoke=action.box_sign_request_remind.nda
action "box_sign_request_remind" "nda" {
  config {
    sign_request_id = "348decab-48a8-4f2c-9436-8967afebf7bb"
  }
}
