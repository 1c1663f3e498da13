# Import a folder by its identity (Terraform 1.12 and later).
import {
  to = box_folder.contracts
  identity = {
    id = "123456789"
  }
}
