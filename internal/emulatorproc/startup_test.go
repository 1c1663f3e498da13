package emulatorproc

import (
	"reflect"
	"testing"
)

func TestParseLine(t *testing.T) {
	cases := []struct {
		name    string
		line    string
		startup bool
		want    Startup
	}{
		{"listening line", "box-emulator listening on http://127.0.0.1:40123", true, Startup{URL: "http://127.0.0.1:40123"}},
		{"https listening line", "box-emulator listening on https://127.0.0.1:40124", true, Startup{URL: "https://127.0.0.1:40124"}},
		{"listening line with CR", "box-emulator listening on http://[::1]:8090\r", true, Startup{URL: "http://[::1]:8090"}},
		{"known seed key", "seed folder_id: 1000000000", true, Startup{Seed: Seed{"folder_id": {"1000000000"}}}},
		// A key no launcher knows today, such as the service account's:
		// read like any other, with no change to the parser.
		{"new seed key", "seed service_account_login: AutomationUser_1@boxdevedition.com", true,
			Startup{Seed: Seed{"service_account_login": {"AutomationUser_1@boxdevedition.com"}}}},
		{"value holding a colon", "seed base_url: http://127.0.0.1:1", true, Startup{Seed: Seed{"base_url": {"http://127.0.0.1:1"}}}},
		{"seed without a value", "seed folder_id:", false, Startup{}},
		{"seed without a colon", "seed folder_id 1", false, Startup{}},
		{"seed key with a space", "seed folder id: 1", false, Startup{}},
		{"unrelated line", "listening: somewhere", false, Startup{}},
		{"seed not at the start", "a seed folder_id: 1", false, Startup{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var s Startup
			if got := s.ParseLine(c.line); got != c.startup {
				t.Errorf("ParseLine(%q) = %v, want %v", c.line, got, c.startup)
			}
			if !reflect.DeepEqual(s, c.want) {
				t.Errorf("after ParseLine(%q): %v, want %v", c.line, s.String(), c.want.String())
			}
		})
	}
}

// The emulator prints one file_id line per seeded file: every value is
// kept in order, and Get returns the first.
func TestSeedKeepsEveryValueInOrder(t *testing.T) {
	var s Startup
	for _, l := range []string{"seed file_id: 11", "seed file_id: 12", "seed template_id: 7"} {
		s.ParseLine(l)
	}
	if got := s.Seed["file_id"]; !reflect.DeepEqual(got, []string{"11", "12"}) {
		t.Errorf("file_id values = %v, want [11 12]", got)
	}
	if s.Seed.Get("file_id") != "11" || s.Seed.Get("absent") != "" {
		t.Errorf("Get: file_id %q, absent %q", s.Seed.Get("file_id"), s.Seed.Get("absent"))
	}
}

func TestMissing(t *testing.T) {
	cases := []struct {
		name  string
		lines []string
		need  []string
		want  []string
	}{
		{"nothing printed", nil, []string{"folder_id", "file_id"}, []string{"address", "file_id", "folder_id"}},
		{"address only, nothing needed", []string{"box-emulator listening on http://h:1"}, nil, nil},
		{"address and one of two keys", []string{"box-emulator listening on http://h:1", "seed file_id: 3"}, []string{"folder_id", "file_id"}, []string{"folder_id"}},
		{"seed before address", []string{"seed file_id: 3"}, []string{"file_id"}, []string{"address"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var s Startup
			for _, l := range c.lines {
				s.ParseLine(l)
			}
			if got := s.Missing(c.need); !reflect.DeepEqual(got, c.want) {
				t.Errorf("Missing(%v) = %v, want %v", c.need, got, c.want)
			}
		})
	}
}

func TestAddr(t *testing.T) {
	for _, u := range []string{"http://127.0.0.1:40123", "https://127.0.0.1:40123"} {
		s := Startup{URL: u}
		if s.Addr() != "127.0.0.1:40123" {
			t.Errorf("%s: Addr() = %q", u, s.Addr())
		}
	}
}
