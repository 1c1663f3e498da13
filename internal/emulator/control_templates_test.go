package emulator

import "testing"

// A template added through the control shows up in Box's template
// endpoints like a seeded one, names need not be unique, and the list
// pages through all of them.
func TestControlAddTemplate(t *testing.T) {
	e := newEnv(t, Options{Seed: true})
	seed := e.emu.Seeded()

	for _, bad := range []any{map[string]any{}, map[string]any{"name": "x", "source_file_ids": []string{"404"}}, "{"} {
		mustStatus(t, e.control("POST", "/_emulator/sign_templates", bad), 400)
	}

	var ids []string
	for range 2 {
		r := e.control("POST", "/_emulator/sign_templates", map[string]any{
			"name":    "Offer letter",
			"signers": []map[string]any{{"order": 1, "email": "hr@example.com", "is_password_required": true}},
		})
		mustStatus(t, r, 201)
		ids = append(ids, r.json(t)["id"].(string))
	}
	if ids[0] == ids[1] {
		t.Fatalf("two templates got one ID %s", ids[0])
	}

	got := e.do("GET", "/2.0/sign_templates/"+ids[1], nil)
	mustStatus(t, got, 200)
	tpl := got.json(t)
	if tpl["name"] != "Offer letter" || tpl["parent_folder"].(map[string]any)["id"] != seed.FolderID {
		t.Errorf("template: %v", tpl)
	}
	if f := tpl["source_files"].([]any)[0].(map[string]any); f["id"] != seed.FileIDs[0] {
		t.Errorf("source files default to the seed's first file: %v", f)
	}
	// The added signer is the role after Box's sender placeholder.
	s := tpl["signers"].([]any)[1].(map[string]any)
	if s["role"] != "signer" || s["email"] != "hr@example.com" || s["is_password_required"] != true || s["public_id"] == "" {
		t.Errorf("signer: %v", s)
	}

	// Three seeded plus two added, one per page.
	seen := map[string]bool{}
	marker := ""
	for pages := 0; ; pages++ {
		if pages > 5 {
			t.Fatal("the list does not end")
		}
		path := "/2.0/sign_templates?limit=1"
		if marker != "" {
			path += "&marker=" + marker
		}
		page := e.do("GET", path, nil).json(t)
		for _, en := range page["entries"].([]any) {
			seen[en.(map[string]any)["id"].(string)] = true
		}
		next, _ := page["next_marker"].(string)
		if next == "" {
			break
		}
		marker = next
	}
	if len(seen) != 5 || !seen[ids[0]] || !seen[ids[1]] {
		t.Errorf("listed %v", seen)
	}
}
