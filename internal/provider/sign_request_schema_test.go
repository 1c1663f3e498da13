package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Every attribute a user can set in a signer or prefill_tag block forces a
// replacement when it changes, read from the schema itself: an attribute
// added later cannot silently stop forcing one. A write-only attribute never
// reaches the plan, so its _version attribute must force it instead; the
// computed progress attributes never do.
func TestEveryConfigurableBlockAttributeForcesReplacement(t *testing.T) {
	ctx := context.Background()
	var resp resource.SchemaResponse
	(&signRequestResource{}).Schema(ctx, resource.SchemaRequest{}, &resp)
	for _, blockName := range []string{"signer", "prefill_tag"} {
		block, ok := resp.Schema.Blocks[blockName].(schema.ListNestedBlock)
		if !ok {
			t.Fatalf("%s is not a list block", blockName)
		}
		attrs := block.NestedObject.Attributes
		for name, a := range attrs {
			t.Run(blockName+"."+name, func(t *testing.T) {
				configurable := a.IsOptional() || a.IsRequired()
				if a.IsWriteOnly() {
					if _, ok := attrs[name+"_version"]; !ok {
						t.Fatalf("write-only %s has no %s_version to force a replacement", name, name)
					}
					return
				}
				if got := replacesOnChange(t, block, attrs, name); got != configurable {
					t.Errorf("changing %s.%s: replacement %v, want %v (configurable: %v)", blockName, name, got, configurable, configurable)
				}
			})
		}
	}
}

// replacesOnChange runs the block's plan modifiers on one element whose
// attribute name changes and reports whether they ask for a replacement.
func replacesOnChange(t *testing.T, block schema.ListNestedBlock, attrs map[string]schema.Attribute, name string) bool {
	t.Helper()
	objTypes := attrTypes(attrs)
	objType := types.ObjectType{AttrTypes: objTypes}
	state := map[string]attr.Value{}
	plan := map[string]attr.Value{}
	for n, typ := range objTypes {
		state[n], plan[n] = sampleValue(t, typ, false), sampleValue(t, typ, false)
	}
	plan[name] = sampleValue(t, objTypes[name], true)
	list := func(vals map[string]attr.Value) types.List {
		obj := types.ObjectValueMust(objTypes, vals)
		return types.ListValueMust(objType, []attr.Value{obj})
	}
	present := tftypes.NewValue(tftypes.String, "present")
	req := planmodifier.ListRequest{
		StateValue: list(state), PlanValue: list(plan), ConfigValue: list(plan),
		State: tfsdk.State{Raw: present}, Plan: tfsdk.Plan{Raw: present},
	}
	for _, m := range block.PlanModifiers {
		var resp planmodifier.ListResponse
		m.PlanModifyList(context.Background(), req, &resp)
		if resp.RequiresReplace {
			return true
		}
	}
	return false
}

func sampleValue(t *testing.T, typ attr.Type, changed bool) attr.Value {
	t.Helper()
	switch typ {
	case types.StringType:
		if changed {
			return types.StringValue("b@example.com")
		}
		return types.StringValue("a@example.com")
	case types.BoolType:
		return types.BoolValue(changed)
	case types.Int64Type:
		if changed {
			return types.Int64Value(2)
		}
		return types.Int64Value(1)
	}
	switch typ := typ.(type) {
	case types.ObjectType:
		vals := map[string]attr.Value{}
		for n, at := range typ.AttrTypes {
			vals[n] = sampleValue(t, at, changed)
		}
		return types.ObjectValueMust(typ.AttrTypes, vals)
	case types.ListType:
		// A changed list has one more element.
		elems := []attr.Value{sampleValue(t, typ.ElemType, false)}
		if changed {
			elems = append(elems, sampleValue(t, typ.ElemType, true))
		}
		return types.ListValueMust(typ.ElemType, elems)
	}
	t.Fatalf("no sample for %s", strings.TrimSpace(typ.String()))
	return nil
}
