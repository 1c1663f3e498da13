// Stub for Terraform's internal/legacy module (see ../../go.mod): only
// Terraform's own tests import it, so it needs no packages here.
module github.com/hashicorp/terraform/internal/legacy

go 1.25
