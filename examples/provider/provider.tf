terraform {
  required_providers {
    box = {
      source  = "box/box"
      version = "~> 0.1"
    }
  }
}

# With no arguments the provider reads its settings from the environment:
# BOX_ACCESS_TOKEN, or BOX_CLIENT_ID + BOX_CLIENT_SECRET + BOX_ENTERPRISE_ID
# (or BOX_USER_ID), or BOX_JWT_CONFIG_FILE (or BOX_JWT_CONFIG).
provider "box" {}
