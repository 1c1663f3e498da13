# Import by ID (Terraform 1.5 and later).
import {
  to = box_folder.contracts
  id = "123456789"
}
