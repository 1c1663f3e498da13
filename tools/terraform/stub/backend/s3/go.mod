// Stub for Terraform's s3 state backend (see ../../../go.mod).
module github.com/hashicorp/terraform/internal/backend/remote-state/s3

go 1.25

require github.com/hashicorp/terraform v1.16.4
