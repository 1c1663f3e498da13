package provider

import (
	"net/http"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/box/terraform-provider-box/internal/box"
)

// operation is what the provider was doing when a call failed. It chooses
// the advice a diagnostic gives: a 404 means a missing file at create, a
// vanished request at read, a wrong ID in a data source.
type operation int

const (
	opCreate       operation = iota // creating a sign request
	opRead                          // refreshing a sign request, or reading it after an update
	opCancel                        // cancelling a sign request (destroy)
	opResend                        // asking Box to remind the signers
	opDataSource                    // a data source or the ephemeral resource reading Box
	opOrphanSearch                  // listing recent sign requests before a create
	opItem                          // managing a folder, file or collaboration (box_folder, box_file, box_collaboration)
)

// apiFailure describes a failed API call as Terraform shows it: a summary
// in the user's words, the operation that chooses the hint, the attribute
// Terraform points at in the configuration (empty: the resource as a
// whole), a hint that replaces the operation's when the caller knows more
// (the item a create 404 is about), advice appended last, such as what
// the state kept, and fields, which when set maps the field paths a Box 400
// names in the request body to attribute paths (createFieldPath for a
// create).
type apiFailure struct {
	op      operation
	summary string
	attr    path.Path
	hint    string
	advice  string
	fields  func(boxField string) (path.Path, bool)
}

// apiError is the diagnostic of a failed call for the resource as a whole.
func apiError(op operation, summary string, err error) diag.Diagnostics {
	return apiFailure{op: op, summary: summary}.diagnostics(err)
}

// attrAPIError attaches the diagnostic to the attribute whose value the
// failed call used, so Terraform points at it in the configuration.
func attrAPIError(op operation, p path.Path, summary string, err error) diag.Diagnostics {
	return apiFailure{op: op, summary: summary, attr: p}.diagnostics(err)
}

// diagnostics renders err: what Box refused in the configuration's words
// first, then the error itself, whose text carries Box's request_id (Box
// support asks for it), then the hint and the advice.
func (f apiFailure) diagnostics(err error) diag.Diagnostics {
	var diags diag.Diagnostics
	var parts []string
	for _, r := range f.refusedAttributes(err) {
		parts = append(parts, "Box refused `"+r.at.String()+"`: "+r.message)
	}
	parts = append(parts, err.Error())
	if f.hint != "" {
		parts = append(parts, f.hint)
	} else if h := apiHint(f.op, err); h != "" {
		parts = append(parts, h)
	}
	if f.advice != "" {
		parts = append(parts, f.advice)
	}
	detail := strings.Join(parts, "\n\n")
	if at := f.attribute(err); at.Equal(path.Empty()) {
		diags.AddError(f.summary, detail)
	} else {
		diags.AddAttributeError(at, f.summary, detail)
	}
	return diags
}

// refusal is a field of a Box 400 named as the configuration names it.
type refusal struct {
	at      path.Path
	message string
}

// refusedAttributes are the fields a Box 400 names (context_info.errors)
// that map to attributes, in Box's order.
func (f apiFailure) refusedAttributes(err error) []refusal {
	apiErr, ok := box.AsError(err)
	if f.fields == nil || !ok || apiErr.StatusCode != http.StatusBadRequest {
		return nil
	}
	var out []refusal
	for _, fe := range apiErr.FieldErrors() {
		at, ok := f.fields(fe.Name)
		if !ok {
			continue
		}
		msg := fe.Message
		if msg == "" {
			msg = fe.Reason
		}
		out = append(out, refusal{at: at, message: msg})
	}
	return out
}

// attribute is where Terraform points for err: the first attribute a Box
// 400 names, else the attribute whose value the call used, if any.
func (f apiFailure) attribute(err error) path.Path {
	if r := f.refusedAttributes(err); len(r) > 0 {
		return r[0].at
	}
	return f.attr
}

// hints say, per operation, what a status means and what to do about it.
var hints = map[int]map[operation]string{
	http.StatusBadRequest: {
		opCreate:     "Box refused the request's arguments: correct the attribute named above and apply again. Nothing was sent to the signers.",
		opCancel:     "Box cannot cancel a request that is no longer waiting for signers (signed, declined, expired, cancelled or failed).",
		opResend:     "Box sends a reminder at most every 10 minutes, and only while the request waits for signers.",
		opDataSource: "Box refused the data source's arguments: check the IDs, filters and paging values.",
		opItem:       "Box refused the arguments: correct the attribute named above and apply again.",
	},
	http.StatusUnauthorized: {
		opCreate:     "The credentials were refused: check the provider's authentication settings. Nothing was sent to the signers.",
		opRead:       "The credentials were refused: check the provider's authentication settings. The state is unchanged.",
		opCancel:     "The credentials were refused: check the provider's authentication settings. The request was not cancelled.",
		opResend:     "The credentials were refused: check the provider's authentication settings. No reminder was sent.",
		opDataSource: "The credentials were refused: check the provider's authentication settings.",
		opItem:       "The credentials were refused: check the provider's authentication settings. The state is unchanged.",
	},
	http.StatusForbidden: {
		opCreate: "The user lacks permission: the app needs the sign_requests.readwrite scope, and the user needs download access to every source file " +
			"(or the template) and upload access to `parent_folder_id`.",
		opRead:       "The user lacks permission: the app needs the sign_requests.readwrite scope to read sign requests.",
		opCancel:     "The user lacks permission: the app needs the sign_requests.readwrite scope, and only the sender can cancel a request.",
		opResend:     "The user lacks permission: the app needs the sign_requests.readwrite scope, and only the sender can remind the signers.",
		opDataSource: "The user lacks permission to read this item: check the app's scopes and the user's access to it.",
		opItem: "The user lacks permission: the app needs the scope to read and write all files and folders, renaming, moving or deleting " +
			"needs edit rights on the item (owner, co-owner or editor), and adding to a folder needs upload rights on it.",
	},
	http.StatusNotFound: {
		opCreate: "Check that the files, folder or template exist and that the user can see them: Box answers 404 both for a missing item " +
			"and for one the authenticated user cannot see.",
		opRead: "Check that the sign request exists and that the user can see it: Box answers 404 both for a deleted request " +
			"and for one the authenticated user cannot see (other credentials, or another `as_user_id`).",
		opCancel: "Check that the sign request exists and that the user can see it: only its sender (or `as_user_id` acting as the sender) can cancel it.",
		opResend: "Check that the sign request exists and that the user can see it: only its sender (or `as_user_id` acting as the sender) can remind the signers.",
		opDataSource: "Check the ID or name, and that the user can see the item: Box answers 404 both for a missing item " +
			"and for one the authenticated user cannot see (collaborate the user on its folder, or set `as_user_id`).",
		opItem: "Check the ID and that the user can see the item: Box answers 404 both for a missing item " +
			"and for one the authenticated user cannot see (collaborate the user on its folder, or set `as_user_id`).",
	},
	http.StatusPreconditionFailed: {
		opItem: "The item changed in Box since Terraform last read it: run `terraform apply -refresh-only` to see the change, then plan again.",
	},
}

// apiHint is the advice for err in operation op, or "".
func apiHint(op operation, err error) string {
	if box.IsCertificateError(err) {
		return "The server's TLS certificate is not trusted, so nothing was sent. If Box is reached through a TLS-inspecting proxy " +
			"or a private endpoint, set `ca_cert_file` (or BOX_CA_CERT_FILE) to its CA certificate in PEM."
	}
	apiErr, ok := box.AsError(err)
	if !ok {
		return ""
	}
	return hints[apiErr.StatusCode][op]
}

// isBoxStatus reports whether err is a Box API error with this HTTP status.
func isBoxStatus(err error, status int) bool {
	apiErr, ok := box.AsError(err)
	return ok && apiErr.StatusCode == status
}
