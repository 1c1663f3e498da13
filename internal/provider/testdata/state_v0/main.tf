provider "box" {
  api_base_url = "EMULATOR_URL"
  access_token = "dev-token"
}

resource "box_sign_request" "files" {
  source_file_ids  = ["1000000001"]
  parent_folder_id = "1000000000"
  name             = "Upgrade fixture"

  signer {
    email = "alice@example.com"
    order = 1
  }
  signer {
    email                      = "bob@example.com"
    order                      = 2
    embed_url_external_user_id = "bob-1"
    suppress_notifications     = true
  }
}

resource "box_sign_request" "password_template" {
  template_id = "7d117509-8f05-42e4-a5ef-5190a319d41d"

  signer {
    email    = "carol@example.com"
    password = "correct horse"
  }
}

resource "box_sign_request" "locked_template" {
  template_id = "3f1c2a9e-5b7d-4c8e-9a61-2d4b6e8f0a13"

  signer {
    email = "legal@example.com"
    order = 1
  }
}
