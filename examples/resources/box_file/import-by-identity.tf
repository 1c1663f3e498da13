# Import a file by its identity (Terraform 1.12 and later). The first apply
# afterwards records `source`; it uploads nothing when the local file has the
# same content.
import {
  to = box_file.nda
  identity = {
    id = "987654321"
  }
}
