# Tell your system when a contract is signed, declined or expires: a sign
# webhook on the folder that receives the signed copies.
resource "box_folder" "signed" {
  name = "Signed contracts"
}

resource "box_webhook" "signatures" {
  target_type = "folder"
  target_id   = box_folder.signed.id
  address     = "https://hooks.example.com/box/sign-events"
  triggers = [
    "SIGN_REQUEST.COMPLETED",
    "SIGN_REQUEST.DECLINED",
    "SIGN_REQUEST.EXPIRED",
  ]
}

resource "box_sign_request" "nda" {
  source_file_ids  = ["1234567890"]
  parent_folder_id = box_folder.signed.id
  signer {
    email = "signer@example.com"
  }

  # Listen before anyone can sign.
  depends_on = [box_webhook.signatures]
}
