# Import by ID (Terraform 1.5 and later).
import {
  to = box_collaboration.service
  id = "1122334455"
}
