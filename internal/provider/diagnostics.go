package provider

import (
	"net/http"

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
)

// apiFailure describes a failed API call as Terraform shows it: a summary
// in the user's words, the operation that chooses the hint, the attribute
// Terraform points at in the configuration (empty: the resource as a
// whole), and advice appended last, such as what the state kept.
type apiFailure struct {
	op      operation
	summary string
	attr    path.Path
	advice  string
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

// diagnostics renders err: its text carries Box's request_id, which Box
// support asks for, followed by the hint and the advice.
func (f apiFailure) diagnostics(err error) diag.Diagnostics {
	var diags diag.Diagnostics
	detail := err.Error()
	if h := apiHint(f.op, err); h != "" {
		detail += "\n\n" + h
	}
	if f.advice != "" {
		detail += "\n\n" + f.advice
	}
	if at := f.attribute(err); at.Equal(path.Empty()) {
		diags.AddError(f.summary, detail)
	} else {
		diags.AddAttributeError(at, f.summary, detail)
	}
	return diags
}

// attribute is where Terraform points for err: the attribute whose value
// the call used, if any. This is the place to map the field path a Box 400
// names (signers[1].email, in the error's context_info) to the attribute
// path in the configuration (signer[1].email), so that it wins over attr.
func (f apiFailure) attribute(error) path.Path { return f.attr }

// notFoundHints say what a 404 means for each operation.
var notFoundHints = map[operation]string{
	opCreate:     "Check that the files, folder or template exist and that the user can see them.",
	opRead:       "Check that the sign request exists and that the user can see it.",
	opCancel:     "Check that the sign request exists and that the user can see it.",
	opResend:     "Check that the sign request exists and that the user can see it.",
	opDataSource: "Check the ID or name, and that the user can see the item.",
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
	switch apiErr.StatusCode {
	case http.StatusUnauthorized:
		return "The credentials were refused: check the provider's authentication settings."
	case http.StatusForbidden:
		return "The user lacks permission: the app needs the sign_requests.readwrite scope and access to the files and folder."
	case http.StatusNotFound:
		return notFoundHints[op]
	}
	return ""
}

// isBoxStatus reports whether err is a Box API error with this HTTP status.
func isBoxStatus(err error, status int) bool {
	apiErr, ok := box.AsError(err)
	return ok && apiErr.StatusCode == status
}
