# Import a sign request by its identity (Terraform 1.12 and later).
import {
  to = box_sign_request.nda
  identity = {
    id = "348decab-48a8-4f2c-9436-8967afebf7bb"
  }
}
