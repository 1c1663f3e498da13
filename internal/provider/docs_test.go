package provider

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// The registry docs are generated from the schema (make docs), so an
// attribute, block or schema without a MarkdownDescription is a hole on the
// provider's registry page. This file fails the build when one appears.

// TestSchemaMarkdownDescriptions walks everything the provider serves, as
// Terraform (and tfplugindocs) sees it through GetProviderSchema.
func TestSchemaMarkdownDescriptions(t *testing.T) {
	ctx := context.Background()
	server, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range resp.Diagnostics {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			t.Fatalf("GetProviderSchema: %s: %s", d.Summary, d.Detail)
		}
	}

	missing := missingSchemaDescriptions(resp)
	if len(missing) > 0 {
		t.Errorf("%d schema elements lack a MarkdownDescription (the registry docs are generated from them; run `make docs` after adding them):\n  %s",
			len(missing), strings.Join(missing, "\n  "))
	}
}

// TestSchemaMarkdownDescriptionsCoverEverything checks, from the Go side, that
// every resource, data source and ephemeral resource the provider registers
// has a schema with a MarkdownDescription and is part of what
// GetProviderSchema serves, so the walk above cannot miss one.
func TestSchemaMarkdownDescriptionsCoverEverything(t *testing.T) {
	ctx := context.Background()
	p := New("test")()
	server, err := providerserver.NewProtocol6WithError(p)()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}

	var meta provider.MetadataResponse
	p.Metadata(ctx, provider.MetadataRequest{}, &meta)
	var ps provider.SchemaResponse
	p.Schema(ctx, provider.SchemaRequest{}, &ps)
	if ps.Schema.GetMarkdownDescription() == "" {
		t.Error("the provider schema has no MarkdownDescription")
	}

	// described checks a registered schema (servedIn, that GetProviderSchema
	// serves it).
	described := func(kind, name string, diags diag.Diagnostics, description string) {
		t.Helper()
		if diags.HasError() {
			t.Errorf("%s %s: schema diagnostics: %v", kind, name, diags)
		}
		if description == "" {
			t.Errorf("%s %s: the schema has no MarkdownDescription", kind, name)
		}
	}

	for _, newResource := range p.Resources(ctx) {
		r := newResource()
		var md resource.MetadataResponse
		r.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: meta.TypeName}, &md)
		var sr resource.SchemaResponse
		r.Schema(ctx, resource.SchemaRequest{}, &sr)
		described("resource", md.TypeName, sr.Diagnostics, sr.Schema.GetMarkdownDescription())
		servedIn(t, "resource", md.TypeName, resp.ResourceSchemas)
	}

	for _, newDataSource := range p.DataSources(ctx) {
		d := newDataSource()
		var md datasource.MetadataResponse
		d.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: meta.TypeName}, &md)
		var sr datasource.SchemaResponse
		d.Schema(ctx, datasource.SchemaRequest{}, &sr)
		described("data source", md.TypeName, sr.Diagnostics, sr.Schema.GetMarkdownDescription())
		servedIn(t, "data source", md.TypeName, resp.DataSourceSchemas)
	}

	if pe, ok := p.(provider.ProviderWithEphemeralResources); ok {
		for _, newEphemeral := range pe.EphemeralResources(ctx) {
			e := newEphemeral()
			var md ephemeral.MetadataResponse
			e.Metadata(ctx, ephemeral.MetadataRequest{ProviderTypeName: meta.TypeName}, &md)
			var sr ephemeral.SchemaResponse
			e.Schema(ctx, ephemeral.SchemaRequest{}, &sr)
			described("ephemeral resource", md.TypeName, sr.Diagnostics, sr.Schema.GetMarkdownDescription())
			servedIn(t, "ephemeral resource", md.TypeName, resp.EphemeralResourceSchemas)
		}
	}

	if pa, ok := p.(provider.ProviderWithActions); ok {
		for _, newAction := range pa.Actions(ctx) {
			var md action.MetadataResponse
			newAction().Metadata(ctx, action.MetadataRequest{ProviderTypeName: meta.TypeName}, &md)
			servedIn(t, "action", md.TypeName, resp.ActionSchemas)
		}
	}
	if pl, ok := p.(provider.ProviderWithListResources); ok {
		for _, newList := range pl.ListResources(ctx) {
			var md resource.MetadataResponse
			newList().Metadata(ctx, resource.MetadataRequest{ProviderTypeName: meta.TypeName}, &md)
			servedIn(t, "list resource", md.TypeName, resp.ListResourceSchemas)
		}
	}
}

// servedIn fails the test unless GetProviderSchema's schemas of a kind
// include name.
func servedIn[S any](t *testing.T, kind, name string, schemas map[string]S) {
	t.Helper()
	if _, ok := schemas[name]; !ok {
		t.Errorf("%s %s is registered but not served by GetProviderSchema", kind, name)
	}
}

// TestMissingSchemaDescriptionsFindsHoles makes sure the walker itself
// reports what it should, so a green TestSchemaMarkdownDescriptions means
// something.
func TestMissingSchemaDescriptionsFindsHoles(t *testing.T) {
	md := func(s string) (string, tfprotov6.StringKind) { return s, tfprotov6.StringKindMarkdown }
	desc, kind := md("described")
	resp := &tfprotov6.GetProviderSchemaResponse{
		Provider: &tfprotov6.Schema{Block: &tfprotov6.SchemaBlock{Description: desc, DescriptionKind: kind}},
		ResourceSchemas: map[string]*tfprotov6.Schema{
			"box_thing": {Block: &tfprotov6.SchemaBlock{
				// no description on the schema itself
				Attributes: []*tfprotov6.SchemaAttribute{
					{Name: "ok", Description: desc, DescriptionKind: kind},
					{Name: "plain", Description: "plain only", DescriptionKind: tfprotov6.StringKindPlain},
					{Name: "nested", Description: desc, DescriptionKind: kind, NestedType: &tfprotov6.SchemaObject{
						Attributes: []*tfprotov6.SchemaAttribute{{Name: "inner"}},
					}},
				},
				BlockTypes: []*tfprotov6.SchemaNestedBlock{
					{TypeName: "child", Block: &tfprotov6.SchemaBlock{
						Attributes: []*tfprotov6.SchemaAttribute{{Name: "leaf", Description: desc, DescriptionKind: kind}},
					}},
					{TypeName: "timeouts", Block: &tfprotov6.SchemaBlock{
						Attributes: []*tfprotov6.SchemaAttribute{
							{Name: "create", Description: "plain only", DescriptionKind: tfprotov6.StringKindPlain},
							{Name: "delete"},
						},
					}},
				},
			}},
		},
		DataSourceSchemas: map[string]*tfprotov6.Schema{
			"box_other": {Block: &tfprotov6.SchemaBlock{Description: desc, DescriptionKind: kind,
				Attributes: []*tfprotov6.SchemaAttribute{{Name: "id"}}}},
		},
	}
	got := missingSchemaDescriptions(resp)
	want := []string{
		"data source box_other: attribute id",
		"resource box_thing: attribute nested.inner",
		"resource box_thing: attribute plain (has only a plain Description)",
		"resource box_thing: attribute timeouts.create (has only a plain Description)",
		"resource box_thing: attribute timeouts.delete",
		"resource box_thing: block child",
		"resource box_thing: block timeouts",
		"resource box_thing: schema",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("missingSchemaDescriptions:\n got  %q\n want %q", got, want)
	}
}

// missingSchemaDescriptions lists, sorted, every schema, attribute (nested
// ones included) and block that has no MarkdownDescription.
func missingSchemaDescriptions(resp *tfprotov6.GetProviderSchemaResponse) []string {
	var missing []string
	add := func(s string) { missing = append(missing, s) }
	walkSchema := func(kind, name string, s *tfprotov6.Schema) {
		label := kind
		if name != "" {
			label += " " + name
		}
		if s == nil || s.Block == nil {
			add(label + ": schema")
			return
		}
		if !docsIsMarkdown(s.Block.Description, s.Block.DescriptionKind) {
			add(label + ": schema")
		}
		docsWalkBlock(label, "", s.Block, add)
	}

	walkSchema("provider", "", resp.Provider)
	for _, kind := range []struct {
		name    string
		schemas map[string]*tfprotov6.Schema
	}{
		{"resource", resp.ResourceSchemas},
		{"data source", resp.DataSourceSchemas},
		{"ephemeral resource", resp.EphemeralResourceSchemas},
		{"list resource", resp.ListResourceSchemas},
	} {
		for name, s := range kind.schemas {
			walkSchema(kind.name, name, s)
		}
	}
	for name, a := range resp.ActionSchemas {
		if a == nil {
			continue
		}
		walkSchema("action", name, a.Schema)
	}
	for name, f := range resp.Functions {
		if f == nil || !docsIsMarkdown(f.Description, f.DescriptionKind) {
			add("function " + name + ": description")
		}
	}
	sort.Strings(missing)
	return missing
}

func docsWalkBlock(label, prefix string, b *tfprotov6.SchemaBlock, add func(string)) {
	for _, a := range b.Attributes {
		docsWalkAttribute(label, prefix+a.Name, a, add)
	}
	for _, nb := range b.BlockTypes {
		p := prefix + nb.TypeName
		if nb.Block == nil {
			add(label + ": block " + p)
			continue
		}
		if !docsIsMarkdown(nb.Block.Description, nb.Block.DescriptionKind) {
			add(label + ": block " + p)
		}
		docsWalkBlock(label, p+".", nb.Block, add)
	}
}

func docsWalkAttribute(label, p string, a *tfprotov6.SchemaAttribute, add func(string)) {
	switch {
	case a.Description == "":
		add(label + ": attribute " + p)
	case a.DescriptionKind != tfprotov6.StringKindMarkdown:
		add(label + ": attribute " + p + " (has only a plain Description)")
	}
	if a.NestedType != nil {
		for _, na := range a.NestedType.Attributes {
			docsWalkAttribute(label, p+"."+na.Name, na, add)
		}
	}
}

func docsIsMarkdown(desc string, kind tfprotov6.StringKind) bool {
	return strings.TrimSpace(desc) != "" && kind == tfprotov6.StringKindMarkdown
}
