package provider

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/box/terraform-provider-box/internal/box"
)

// Each operation gives its own advice for a 404, every diagnostic keeps
// Box's request_id, and one with an attribute points at it.
func TestAPIFailureDiagnostics(t *testing.T) {
	notFound := fmt.Errorf("wrapped: %w", &box.Error{StatusCode: 404, Code: "not_found", RequestID: "rid-1", Method: "GET", Path: "/2.0/x"})
	cases := []struct {
		name string
		f    apiFailure
		err  error
		want []string
	}{
		{"create 404", apiFailure{op: opCreate, summary: "s"}, notFound, []string{"rid-1", "files, folder or template"}},
		{"read 404", apiFailure{op: opRead, summary: "s"}, notFound, []string{"rid-1", "sign request exists"}},
		{"data source 404", apiFailure{op: opDataSource, summary: "s", attr: path.Root("id")}, notFound, []string{"rid-1", "ID or name"}},
		{"401", apiFailure{op: opCancel, summary: "s"}, &box.Error{StatusCode: 401}, []string{"credentials were refused"}},
		{"403", apiFailure{op: opResend, summary: "s"}, &box.Error{StatusCode: 403}, []string{"sign_requests.readwrite"}},
		{"advice last", apiFailure{op: opResend, summary: "s", advice: "apply again"}, errors.New("dial tcp: refused"), []string{"refused\n\napply again"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			diags := c.f.diagnostics(c.err)
			if len(diags) != 1 || diags[0].Summary() != "s" {
				t.Fatalf("got %v", diags)
			}
			for _, w := range c.want {
				if !strings.Contains(diags[0].Detail(), w) {
					t.Errorf("detail %q lacks %q", diags[0].Detail(), w)
				}
			}
			wd, withPath := diags[0].(interface{ Path() path.Path })
			if hasAttr := !c.f.attr.Equal(path.Empty()); hasAttr != withPath || (withPath && !wd.Path().Equal(c.f.attr)) {
				t.Errorf("attribute path: want %v", c.f.attr)
			}
		})
	}
}
