# A Box Sign template by name (exactly one template may have it), used to
# send a request. The template's signers say which need a password or phone.
data "box_sign_template" "offer" {
  name = "Offer letter"
}

resource "box_sign_request" "offer" {
  template_id      = data.box_sign_template.offer.id
  parent_folder_id = data.box_sign_template.offer.parent_folder_id

  signer {
    email = "judy@example.com"
  }
}

output "offer_needs_password" {
  value = data.box_sign_template.offer.signers[0].is_password_required
}
