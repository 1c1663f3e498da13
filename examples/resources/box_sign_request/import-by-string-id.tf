# Import a sign request by its ID (Terraform 1.5 and later).
import {
  to = box_sign_request.nda
  id = "348decab-48a8-4f2c-9436-8967afebf7bb"
}
