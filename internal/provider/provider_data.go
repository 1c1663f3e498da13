package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/box/terraform-provider-box/internal/box"
)

// providerData is what the provider's Configure hands to every resource,
// data source and ephemeral resource: the client, and the page size of the
// data sources' list calls. Only tests change the page size, to cover
// paging without creating a thousand items.
type providerData struct {
	client   *box.Client
	pageSize int64
}

// limit is the page size of a list call.
func (d *providerData) limit() int64 {
	if d.pageSize > 0 {
		return d.pageSize
	}
	return maxPageSize
}

// fromProviderData unpacks what the provider's Configure handed a resource,
// data source or ephemeral resource. Nil data means the provider is not
// configured yet (Terraform validates before it configures), which is not
// an error, and gives nil; a value of another type is a bug in the provider.
func fromProviderData(data any, diags *diag.Diagnostics) *providerData {
	if data == nil {
		return nil
	}
	d, ok := data.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected %T, got %T. This is a bug in the provider; please report it.", d, data))
		return nil
	}
	return d
}
