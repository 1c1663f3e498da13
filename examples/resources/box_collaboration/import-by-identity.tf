# Import a collaboration by its identity (Terraform 1.12 and later).
import {
  to = box_collaboration.service
  identity = {
    id = "1122334455"
  }
}
