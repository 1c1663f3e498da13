# Import by ID (Terraform 1.5 and later).
import {
  to = box_file.nda
  id = "987654321"
}
