# A sign request this configuration did not create, such as one sent from the
# Box web app: its status and each signer's progress.
data "box_sign_request" "nda" {
  id = "348decab-48a8-4f2c-9436-8967afebf7bb"
}

output "nda_status" {
  value = data.box_sign_request.nda.status
}

output "nda_signers_done" {
  value = [for s in data.box_sign_request.nda.signer : s.email if s.decision == "signed"]
}
