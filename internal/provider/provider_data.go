package provider

import (
	"context"
	"fmt"
	"sync"

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
	me       userCache
}

// userCache holds the authenticated user, asked of Box at most once per
// provider process (Terraform configures a provider once per process), and
// only when a refresh meets a 404.
type userCache struct {
	mu   sync.Mutex
	user *box.User
}

// currentUser is the authenticated user (the As-User target with
// as_user_id). Concurrent callers wait for one GET /users/me; a failure is
// not kept, so a later caller asks again.
func (d *providerData) currentUser(ctx context.Context) (*box.User, error) {
	d.me.mu.Lock()
	defer d.me.mu.Unlock()
	if d.me.user == nil {
		u, err := d.client.CurrentUser(ctx)
		if err != nil {
			return nil, err
		}
		d.me.user = u
	}
	return d.me.user, nil
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
