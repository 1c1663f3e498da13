# Keep the signed documents and the signing log of a finished request in an
# evidence folder, and on disk with their SHA-1 checked against Box's
# (Terraform 1.14 and later), with:
#   terraform apply -invoke=action.box_sign_request_archive.nda
# A second run copies nothing twice and says so.
action "box_sign_request_archive" "nda" {
  config {
    sign_request_id       = "348decab-48a8-4f2c-9436-8967afebf7bb"
    destination_folder_id = "987654321"
    local_directory       = "evidence"
  }
}
