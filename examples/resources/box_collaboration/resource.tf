# The service account of a client-credentials app sees nothing until it is
# collaborated: find it with box_current_user on a provider that
# authenticates as it, and give it the folder of contracts.
provider "box" {
  alias         = "service"
  client_id     = var.client_id
  client_secret = var.client_secret
  enterprise_id = var.enterprise_id
}

variable "client_id" {
  type = string
}

variable "client_secret" {
  type      = string
  sensitive = true
}

variable "enterprise_id" {
  type = string
}

data "box_current_user" "service" {
  provider = box.service
}

resource "box_folder" "contracts" {
  name = "Contracts"
}

resource "box_collaboration" "service" {
  folder_id = box_folder.contracts.id
  user_id   = data.box_current_user.service.id
  role      = "editor"
}

# Or a person, by login. Box emails them only with notify = true; a login
# without a Box account becomes a pending invitation (user_id stays empty
# until they accept).
resource "box_collaboration" "legal" {
  folder_id = box_folder.contracts.id
  login     = "legal@example.com"
  role      = "viewer"
  notify    = true
}
