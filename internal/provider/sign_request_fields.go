package provider

import (
	"context"
	"regexp"
	"strconv"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
)

// Box names the parameter a 400 refuses by its JSON path in the request
// body (context_info.errors[].name: signers[1].email). createRequest builds
// that body from the configuration element for element: signers[i] is
// signer[i], source_files[i] is source_file_ids[i], prefill_tags[i] is
// prefill_tag[i]. (The sender Box adds at signers[0] appears only in its
// responses, never in what it validates.) So a body path becomes an
// attribute path by renaming the few fields whose names differ.

// bodyField is how a field of the create body is named in the configuration.
// An ID-holding object (source_files[i], parent_folder) is one attribute:
// whatever Box says of its `id` or `type` is said of that attribute.
type bodyField struct {
	attr   string
	idOnly bool
}

// createBodyRenames lists the create body's fields whose configuration
// names differ; every other field has the attribute's name.
var createBodyRenames = map[string]bodyField{
	"signers":       {attr: "signer"},
	"prefill_tags":  {attr: "prefill_tag"},
	"source_files":  {attr: "source_file_ids", idOnly: true},
	"parent_folder": {attr: "parent_folder_id", idOnly: true},
}

// bodyPathStep matches one step of a body path: a name, [n] or .n.
var bodyPathStep = regexp.MustCompile(`^(?:\.?([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\.(\d+))`)

// createFieldPath maps a field path of the create body, as Box names it, to
// the attribute path in the configuration. It reports false when the name
// does not lead to any attribute or block of the resource; a path that goes
// deeper than the schema is cut to its deepest known part.
func createFieldPath(name string) (path.Path, bool) {
	p, ok := bodyToConfigPath(name)
	if !ok {
		return path.Empty(), false
	}
	sch := signRequestSchema()
	for ; len(p.Steps()) > 0; p = p.ParentPath() {
		if _, diags := sch.TypeAtPath(context.Background(), p); !diags.HasError() {
			return p, true
		}
	}
	return path.Empty(), false
}

// bodyToConfigPath renames the steps of a body path; it reports false for
// a name it cannot parse.
func bodyToConfigPath(name string) (path.Path, bool) {
	p := path.Empty()
	rest := name
	for first := true; rest != ""; first = false {
		m := bodyPathStep.FindStringSubmatch(rest)
		if m == nil || (first && m[1] == "") {
			return path.Empty(), false
		}
		rest = rest[len(m[0]):]
		if m[1] == "" {
			i, err := strconv.Atoi(m[2] + m[3])
			if err != nil {
				return path.Empty(), false
			}
			p = p.AtListIndex(i)
			continue
		}
		if !first {
			p = p.AtName(m[1])
			continue
		}
		f, renamed := createBodyRenames[m[1]]
		if !renamed {
			p = path.Root(m[1])
			continue
		}
		p = path.Root(f.attr)
		if f.idOnly {
			// Keep only an index: source_files[0].id is source_file_ids[0].
			if m := bodyPathStep.FindStringSubmatch(rest); m != nil && m[1] == "" {
				if i, err := strconv.Atoi(m[2] + m[3]); err == nil {
					p = p.AtListIndex(i)
				}
			}
			return p, true
		}
	}
	return p, true
}

// signRequestSchema is the resource's schema, built once, for looking up
// attribute paths outside a request.
var signRequestSchema = sync.OnceValue(func() schema.Schema {
	var resp resource.SchemaResponse
	(&signRequestResource{}).Schema(context.Background(), resource.SchemaRequest{}, &resp)
	return resp.Schema
})
