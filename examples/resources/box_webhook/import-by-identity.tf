# Import a webhook by its identity (Terraform 1.12 and later).
import {
  to = box_webhook.signatures
  identity = {
    id = "12345678"
  }
}
