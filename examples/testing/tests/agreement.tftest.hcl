# `terraform test` against the Box API emulator, started as the testing
# guide says (make test-examples does it):
#
#   box-emulator -addr 127.0.0.1:0 -seed -conversion-delay 0 \
#     -auto-act signer@example.com=sign@2s
#
# with BOX_API_BASE_URL, BOX_CLIENT_ID, BOX_CLIENT_SECRET and
# BOX_ENTERPRISE_ID set for the provider. The emulator's test-only -auto-act
# signer signs two seconds after being emailed: no HTTP tool is needed.

variables {
  folder_name     = "terraform test agreement"
  reviewer_login  = "user@example.com" # a user the emulator always has
  signer_email    = "signer@example.com"
  signer_password = "correct-horse-battery"
}

run "apply" {
  module {
    source = "./tests/harness"
  }

  assert {
    condition     = output.status == "sent"
    error_message = "A new request is out for signature."
  }
}

run "signer_acts" {
  module {
    source = "./tests/wait"
  }

  variables {
    seconds = 3
  }
}

run "refresh_sees_signed" {
  command = plan

  module {
    source = "./tests/harness"
  }

  assert {
    condition     = output.status == "signed"
    error_message = "The refresh sees the signature."
  }

  assert {
    condition     = output.sign_request_id == run.apply.sign_request_id
    error_message = "A signature replaces nothing: the request is the same."
  }

  assert {
    condition     = contains(output.visible_request_ids, run.apply.sign_request_id)
    error_message = "Box lists the request while its folder exists."
  }
}

run "destroy" {
  module {
    source = "./tests/harness"
  }

  variables {
    deployed = false
  }
}

run "nothing_left" {
  module {
    source = "./tests/harness"
  }

  variables {
    deployed = false
  }

  assert {
    condition     = !contains(output.visible_request_ids, run.apply.sign_request_id)
    error_message = "Destroy deleted the folder, so Box no longer lists the request."
  }
}
