package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// fromProviderData unpacks what the provider's Configure handed a resource,
// data source or ephemeral resource. Nil data means the provider is not
// configured yet (Terraform validates before it configures), which is not
// an error; a value of another type is a bug in the provider.
func fromProviderData[T any](data any, diags *diag.Diagnostics) (T, bool) {
	var zero T
	if data == nil {
		return zero, false
	}
	v, ok := data.(T)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected %T, got %T. This is a bug in the provider; please report it.", zero, data))
		return zero, false
	}
	return v, true
}
