# A request made from a Box Sign template: the template carries the files and
# the signer roles; prefill_tag fills the template's tags before it is sent.
resource "box_sign_request" "offer" {
  template_id      = "f2ec720d-47a6-4052-8210-9bfa8d6c349c"
  parent_folder_id = "987654321"
  name             = "Offer letter"

  signer {
    email = "judy@example.com"
  }

  prefill_tag {
    document_tag_id = "full_name"
    text_value      = "Judy Example"
  }

  prefill_tag {
    document_tag_id = "relocation"
    checkbox_value  = true
  }

  prefill_tag {
    document_tag_id = "start_date"
    date_value      = "2035-01-31"
  }
}
