package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// -state-bytes FILE prints where a state file's bytes go, per managed
// resource instance: for each attribute (and each attribute of a nested
// block, such as signer[]), for each path in sensitive_attributes, and for
// the instance's other keys, the bytes the file would lose without it in
// every instance. Terraform writes the state as JSON indented by two
// spaces (encoding/json), so re-encoding it the same way without one part
// and subtracting counts that part's bytes as written, indentation
// included. The first line says whether the re-encoding matches the file.

type stateShare struct {
	name  string
	bytes float64 // per instance
}

func printStateBytes(w io.Writer, path string) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	parse := func() (map[string]any, error) {
		d := json.NewDecoder(bytes.NewReader(raw))
		d.UseNumber()
		var st map[string]any
		return st, d.Decode(&st)
	}
	st, err := parse()
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	n := len(instances(st))
	if n == 0 {
		return fmt.Errorf("%s holds no managed resource instance", path)
	}
	base := encodedSize(st)
	fmt.Fprintf(w, "%s: %d bytes, %d instances, %.0f bytes per instance (re-encoded: %d bytes)\n", path, len(raw), n, float64(len(raw))/float64(n), base)

	// without re-parses the file, applies drop to every instance and
	// returns the bytes per instance that this saved.
	without := func(drop func(inst map[string]any)) float64 {
		st, _ := parse()
		for _, inst := range instances(st) {
			drop(inst)
		}
		return float64(base-encodedSize(st)) / float64(n)
	}
	first := instances(st)[0]
	var shares []stateShare
	for key := range first {
		shares = append(shares, stateShare{"instance." + key, without(func(i map[string]any) { delete(i, key) })})
	}
	attrs, _ := first["attributes"].(map[string]any)
	for a, v := range attrs {
		shares = append(shares, stateShare{"attributes." + a, without(func(i map[string]any) { delete(attributesOf(i), a) })})
		if list, ok := v.([]any); ok && len(list) > 0 {
			if obj, ok := list[0].(map[string]any); ok {
				for sub := range obj {
					shares = append(shares, stateShare{"  " + a + "[]." + sub, without(func(i map[string]any) {
						for _, e := range asList(attributesOf(i)[a]) {
							if m, ok := e.(map[string]any); ok {
								delete(m, sub)
							}
						}
					})})
				}
			}
		}
	}
	for _, p := range asList(first["sensitive_attributes"]) {
		name := sensitivePathName(p)
		shares = append(shares, stateShare{"  sensitive path " + name, without(func(i map[string]any) {
			var kept []any
			for _, q := range asList(i["sensitive_attributes"]) {
				if sensitivePathName(q) != name {
					kept = append(kept, q)
				}
			}
			i["sensitive_attributes"] = kept
		})})
	}
	shares = append(shares, stateShare{"null attributes (all, top level)", without(func(i map[string]any) {
		for k, v := range attributesOf(i) {
			if v == nil {
				delete(attributesOf(i), k)
			}
		}
	})})
	sort.Slice(shares, func(i, j int) bool {
		if shares[i].bytes != shares[j].bytes {
			return shares[i].bytes > shares[j].bytes
		}
		return shares[i].name < shares[j].name
	})
	for _, s := range shares {
		fmt.Fprintf(w, "%7.0f  %s\n", s.bytes, s.name)
	}
	return nil
}

func encodedSize(v any) int {
	b, _ := json.MarshalIndent(v, "", "  ")
	return len(b) + 1 // Terraform ends the file with a newline
}

func instances(st map[string]any) []map[string]any {
	var out []map[string]any
	for _, r := range asList(st["resources"]) {
		res, _ := r.(map[string]any)
		if res == nil || res["mode"] != "managed" {
			continue
		}
		for _, i := range asList(res["instances"]) {
			if inst, ok := i.(map[string]any); ok {
				out = append(out, inst)
			}
		}
	}
	return out
}

func attributesOf(inst map[string]any) map[string]any {
	a, _ := inst["attributes"].(map[string]any)
	if a == nil {
		a = map[string]any{}
	}
	return a
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

// sensitivePathName renders a sensitive_attributes path of Terraform's
// state format (a list of get_attr and index steps) as signer[0].password.
func sensitivePathName(p any) string {
	var b strings.Builder
	for _, step := range asList(p) {
		s, _ := step.(map[string]any)
		switch s["type"] {
		case "get_attr":
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			fmt.Fprint(&b, s["value"])
		case "index":
			v, _ := s["value"].(map[string]any)
			fmt.Fprintf(&b, "[%v]", v["value"])
		}
	}
	return b.String()
}
