// Package consul stands in for Terraform's consul state backend, which lives in a
// submodule the Go module proxy does not serve. This build of Terraform is
// only for the provider's tests and docs, which keep state locally, so the
// backend name resolves to the in-memory backend.
package consul

import (
	"github.com/hashicorp/terraform/internal/backend"
	"github.com/hashicorp/terraform/internal/backend/remote-state/inmem"
)

// New returns the in-memory backend.
func New() backend.Backend { return inmem.New() }
