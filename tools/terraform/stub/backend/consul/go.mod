// Stub for Terraform's consul state backend (see ../../../go.mod).
module github.com/hashicorp/terraform/internal/backend/remote-state/consul

go 1.25

require github.com/hashicorp/terraform v1.16.4
