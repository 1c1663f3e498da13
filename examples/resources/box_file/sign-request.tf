resource "box_folder" "contracts" {
  name = "Contracts"
}

resource "box_file" "nda" {
  source    = "${path.module}/nda.pdf"
  folder_id = box_folder.contracts.id
}

# Box puts the signed copies in parent_folder_id (by default the file's
# folder). Keep them out of the managed folder, which would otherwise never
# be empty again: use a folder Terraform does not manage.
data "box_folder" "signed" {
  path = "/Signed documents"
}

# A new version of the file keeps its ID, so the sign request is not
# replaced by it. To send a new request (emailing the signers again) each
# time the document changes, ask for it:
resource "box_sign_request" "nda" {
  source_file_ids  = [box_file.nda.id]
  parent_folder_id = data.box_folder.signed.id

  signer {
    email = "alice@example.com"
  }

  lifecycle {
    replace_triggered_by = [box_file.nda.version_id]
  }
}
