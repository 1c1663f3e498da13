package planmodifiers

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func TestSameName(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"Contract", "Contract.pdf", true},
		{"Contract.pdf", "Contract", true},
		{"Contract", "Contract", true},
		{"Contract", "Contract.pdf.pdf", false},
		{"Contract", "Other.pdf", false},
	} {
		t.Run(c.a+" vs "+c.b, func(t *testing.T) {
			if got := SameName(c.a, c.b); got != c.want {
				t.Errorf("SameName(%q, %q) = %v", c.a, c.b, got)
			}
		})
	}
}

var signerType = map[string]attr.Type{"email": types.StringType, "status": types.StringType}

func signers(t *testing.T, rows ...[2]attr.Value) types.List {
	t.Helper()
	var elems []attr.Value
	for _, r := range rows {
		o, d := types.ObjectValue(signerType, map[string]attr.Value{"email": r[0], "status": r[1]})
		if d.HasError() {
			t.Fatal(d)
		}
		elems = append(elems, o)
	}
	l, d := types.ListValue(types.ObjectType{AttrTypes: signerType}, elems)
	if d.HasError() {
		t.Fatal(d)
	}
	return l
}

func TestReplaceOnlyOnConfiguredChange(t *testing.T) {
	s := types.StringValue
	nonNull := tfsdk.State{Raw: tftypes.NewValue(tftypes.Object{}, map[string]tftypes.Value{})}
	plan := tfsdk.Plan{Raw: tftypes.NewValue(tftypes.Object{}, map[string]tftypes.Value{})}
	m := RequiresReplaceIfAttributesChange("email")
	state := signers(t, [2]attr.Value{s("a@example.com"), s("sent")})
	for _, c := range []struct {
		name string
		plan types.List
		want bool
	}{
		{"computed change only", signers(t, [2]attr.Value{s("a@example.com"), types.StringUnknown()}), false},
		{"email changed", signers(t, [2]attr.Value{s("b@example.com"), s("sent")}), true},
		{"email unknown", signers(t, [2]attr.Value{types.StringUnknown(), s("sent")}), true},
		{"signer added", signers(t, [2]attr.Value{s("a@example.com"), s("sent")}, [2]attr.Value{s("b@example.com"), s("sent")}), true},
		{"signer removed", signers(t), true},
	} {
		t.Run(c.name, func(t *testing.T) {
			resp := &planmodifier.ListResponse{PlanValue: c.plan}
			m.PlanModifyList(context.Background(), planmodifier.ListRequest{State: nonNull, Plan: plan, StateValue: state, PlanValue: c.plan}, resp)
			if resp.RequiresReplace != c.want {
				t.Errorf("%s: RequiresReplace = %v, want %v", c.name, resp.RequiresReplace, c.want)
			}
		})
	}
}

// With IgnoringCase, an email whose case alone changes replaces nothing;
// another address still does.
func TestReplaceIgnoringCase(t *testing.T) {
	s := types.StringValue
	nonNull := tfsdk.State{Raw: tftypes.NewValue(tftypes.Object{}, map[string]tftypes.Value{})}
	plan := tfsdk.Plan{Raw: tftypes.NewValue(tftypes.Object{}, map[string]tftypes.Value{})}
	state := signers(t, [2]attr.Value{s("Alice@Example.com"), s("sent")})
	for _, c := range []struct {
		name  string
		m     ReplaceOnChange
		email string
		want  bool
	}{
		{"case folded", RequiresReplaceIfAttributesChange("email").IgnoringCase("email"), "alice@example.COM", false},
		{"other address folded", RequiresReplaceIfAttributesChange("email").IgnoringCase("email"), "alicia@example.com", true},
		{"case kept without IgnoringCase", RequiresReplaceIfAttributesChange("email"), "alice@example.COM", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := signers(t, [2]attr.Value{s(c.email), s("sent")})
			resp := &planmodifier.ListResponse{PlanValue: p}
			c.m.PlanModifyList(context.Background(), planmodifier.ListRequest{State: nonNull, Plan: plan, StateValue: state, PlanValue: p}, resp)
			if resp.RequiresReplace != c.want {
				t.Errorf("RequiresReplace = %v, want %v", resp.RequiresReplace, c.want)
			}
		})
	}
}

// CaseInsensitive keeps the state's spelling for a change of case only.
func TestCaseInsensitive(t *testing.T) {
	for _, c := range []struct {
		name, state, plan, want string
	}{
		{"case only", "Alice@Example.com", "alice@example.com", "Alice@Example.com"},
		{"other value", "alice@example.com", "bob@example.com", "bob@example.com"},
		{"same", "a@example.com", "a@example.com", "a@example.com"},
	} {
		t.Run(c.name, func(t *testing.T) {
			resp := &planmodifier.StringResponse{PlanValue: types.StringValue(c.plan)}
			CaseInsensitive().PlanModifyString(context.Background(), planmodifier.StringRequest{
				StateValue: types.StringValue(c.state), PlanValue: types.StringValue(c.plan),
			}, resp)
			if got := resp.PlanValue.ValueString(); got != c.want {
				t.Errorf("planned %q, want %q", got, c.want)
			}
		})
	}
}

// An Optional+Computed attribute the configuration leaves null is planned
// unknown before its own modifier keeps the state's value: no change. An
// unknown from the configuration itself still replaces.
func TestReplaceUnsetComputedIsNoChange(t *testing.T) {
	s := types.StringValue
	nonNull := tfsdk.State{Raw: tftypes.NewValue(tftypes.Object{}, map[string]tftypes.Value{})}
	plan := tfsdk.Plan{Raw: tftypes.NewValue(tftypes.Object{}, map[string]tftypes.Value{})}
	m := RequiresReplaceIfAttributesChange("email")
	state := signers(t, [2]attr.Value{s("a@example.com"), s("sent")})
	planned := signers(t, [2]attr.Value{types.StringUnknown(), s("sent")})
	for _, c := range []struct {
		name   string
		config types.List
		want   bool
	}{
		{"unset in the configuration", signers(t, [2]attr.Value{types.StringNull(), types.StringNull()}), false},
		{"unknown in the configuration", signers(t, [2]attr.Value{types.StringUnknown(), types.StringNull()}), true},
	} {
		t.Run(c.name, func(t *testing.T) {
			resp := &planmodifier.ListResponse{PlanValue: planned}
			m.PlanModifyList(context.Background(), planmodifier.ListRequest{State: nonNull, Plan: plan, StateValue: state, PlanValue: planned, ConfigValue: c.config}, resp)
			if resp.RequiresReplace != c.want {
				t.Errorf("RequiresReplace = %v, want %v", resp.RequiresReplace, c.want)
			}
		})
	}
}
