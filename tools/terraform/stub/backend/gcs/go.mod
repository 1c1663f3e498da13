// Stub for Terraform's gcs state backend (see ../../../go.mod).
module github.com/hashicorp/terraform/internal/backend/remote-state/gcs

go 1.25

require github.com/hashicorp/terraform v1.16.4
