# The smallest configuration that talks to Box: it reads who the provider is
# authenticated as. The provider fetches its token only when something needs
# Box, so this (not a bare provider block) is what proves the credentials.
terraform {
  required_providers {
    box = {
      source  = "box/box"
      version = "~> 0.1"
    }
  }
}

provider "box" {} # BOX_ACCESS_TOKEN, or the BOX_CLIENT_* or BOX_JWT_* variables

data "box_current_user" "me" {}

output "authenticated_as" {
  value = "${data.box_current_user.me.name} <${data.box_current_user.me.login}> (${data.box_current_user.me.id})"
}
