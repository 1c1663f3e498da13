# Import by ID (Terraform 1.5 and later).
import {
  to = box_webhook.signatures
  id = "12345678"
}
