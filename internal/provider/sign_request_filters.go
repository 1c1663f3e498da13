package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/box/terraform-provider-box/internal/box"
	"github.com/box/terraform-provider-box/internal/provider/validators"
)

// The filters of Box's sign request list, which the box_sign_requests data
// source and the box_sign_request list resource both take: Box's own
// (shared_requests, senders) and the provider's (status, and in the list
// resource name_prefix), with one walk over the pages for both.

const (
	statusFilterDescription = "Keep only requests in these statuses, such as `[\"sent\", \"viewed\"]`. " +
		"Box has no such filter, so every request is read and the provider filters."
	sharedRequestsDescription = "List the requests where the user is a collaborator on the signed files and not the sender, " +
		"instead of the user's own (Box's `shared_requests`). Defaults to `false`."
	sendersDescription = "With `shared_requests = true`, keep only requests sent by these email addresses " +
		"(Box's `senders` filter, which needs `shared_requests`)."
)

// statusNames are Box's statuses as the status filter accepts them.
func statusNames() []string {
	var out []string
	for _, s := range box.SignRequestStatuses() {
		out = append(out, string(s))
	}
	return out
}

// sendersValidators check the senders attribute: at least one, each an
// email address.
func sendersValidators() []validator.List {
	return []validator.List{
		listvalidator.SizeAtLeast(1),
		listvalidator.ValueStringsAre(validators.Email()),
	}
}

// sendersNeedSharedRequests: Box refuses senders without shared_requests;
// say so before calling it rather than pass on Box's 400.
func sendersNeedSharedRequests(senders types.List, shared types.Bool) diag.Diagnostics {
	var diags diag.Diagnostics
	if senders.IsNull() || shared.IsUnknown() || shared.ValueBool() {
		return diags
	}
	diags.AddAttributeError(path.Root("senders"), "senders needs shared_requests",
		"Attribute senders filters the requests shared with the user, so Box accepts it only with shared_requests = true. Set shared_requests = true, or remove senders.")
	return diags
}

// elements is a list or set attribute's value.
type elements interface {
	ElementsAs(ctx context.Context, target any, allowUnhandled bool) diag.Diagnostics
}

// signRequestQuery is one configured walk of Box's sign request list: what
// Box filters (opts) and what the provider filters itself, since Box's list
// call has no status or name filter.
type signRequestQuery struct {
	client   *box.Client
	opts     box.ListSignRequestsOptions
	statuses []string
	prefix   string
}

// newSignRequestQuery reads the filter attributes of a configuration.
func (d *providerData) newSignRequestQuery(ctx context.Context, status elements, senders types.List, shared types.Bool) (signRequestQuery, diag.Diagnostics) {
	q := signRequestQuery{client: d.client, opts: box.ListSignRequestsOptions{Limit: d.limit(), SharedRequests: shared.ValueBool()}}
	diags := senders.ElementsAs(ctx, &q.opts.Senders, false)
	diags.Append(status.ElementsAs(ctx, &q.statuses, false)...)
	return q, diags
}

// match reports whether the provider's own filters keep sr.
func (q signRequestQuery) match(sr *box.SignRequest) bool {
	if q.prefix != "" && !strings.HasPrefix(deref(sr.Name), q.prefix) {
		return false
	}
	if len(q.statuses) == 0 {
		return true
	}
	for _, s := range q.statuses {
		if s == string(sr.Status) {
			return true
		}
	}
	return false
}

// each walks every page of the list, calling fn with each request the
// filters keep; an error from fn stops the walk and is returned.
func (q signRequestQuery) each(ctx context.Context, fn func(*box.SignRequest) error) error {
	return eachPage(ctx, "sign requests", func(marker string) (*string, error) {
		q.opts.Marker = marker
		p, err := q.client.ListSignRequests(ctx, q.opts)
		if err != nil {
			return nil, err
		}
		for i := range p.Entries {
			if !q.match(&p.Entries[i]) {
				continue
			}
			if err := fn(&p.Entries[i]); err != nil {
				return nil, err
			}
		}
		return p.NextMarker, nil
	})
}
