package provider

import (
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestClientConfigOrphanWindow(t *testing.T) {
	token := map[string]string{"BOX_ACCESS_TOKEN": "t"}
	with := func(kv map[string]string) map[string]string {
		out := map[string]string{"BOX_ACCESS_TOKEN": "t"}
		for k, v := range kv {
			out[k] = v
		}
		return out
	}
	cases := []struct {
		name   string
		config types.String
		env    map[string]string
		want   time.Duration
	}{
		{"default is 6h", types.StringNull(), token, 6 * time.Hour},
		{"from the environment", types.StringNull(), with(map[string]string{"BOX_ORPHAN_WINDOW": "90m"}), 90 * time.Minute},
		{"zero turns it off", types.StringValue("0"), token, 0},
		{"attribute wins over environment", types.StringValue("2h"), with(map[string]string{"BOX_ORPHAN_WINDOW": "5m"}), 2 * time.Hour},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := emptyModel()
			m.OrphanWindow = c.config
			cfg, diags := m.clientConfig(env(c.env))
			if diags.HasError() {
				t.Fatal(diags)
			}
			if cfg.OrphanWindow != c.want {
				t.Errorf("OrphanWindow = %s, want %s", cfg.OrphanWindow, c.want)
			}
		})
	}
	for _, bad := range []string{"yesterday", "-1h"} {
		t.Run("invalid environment "+bad, func(t *testing.T) {
			_, diags := emptyModel().clientConfig(env(with(map[string]string{"BOX_ORPHAN_WINDOW": bad})))
			if !diags.HasError() {
				t.Fatal("no error")
			}
			d := diags[0]
			if !strings.Contains(d.Detail(), "BOX_ORPHAN_WINDOW") || strings.Contains(d.Detail(), bad) {
				t.Errorf("diagnostic must name the variable, not echo its value: %s", d.Detail())
			}
		})
	}
}
