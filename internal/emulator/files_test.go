package emulator

import (
	"strings"
	"testing"
)

func TestFoldersAndFiles(t *testing.T) {
	e := newEnv(t, Options{})
	a := e.folderID("A")
	r := e.do("POST", "/2.0/folders", map[string]any{"name": "B", "parent": map[string]string{"id": a}})
	mustStatus(t, r, 201)
	b := r.json(t)
	pc := b["path_collection"].(map[string]any)
	if pc["total_count"].(float64) != 2 {
		t.Fatalf("path_collection: %v", pc)
	}
	entries := pc["entries"].([]any)
	if entries[0].(map[string]any)["id"] != "0" || entries[1].(map[string]any)["id"] != a {
		t.Errorf("path_collection entries: %v", entries)
	}

	// Name rules and conflicts.
	if code := e.do("POST", "/2.0/folders", map[string]any{"name": "a", "parent": map[string]string{"id": "0"}}).errCode(t); code != "item_name_in_use" {
		t.Errorf("case-insensitive conflict: %s", code)
	}
	for _, bad := range []string{"x/y", "..", " lead", "trail "} {
		if code := e.do("POST", "/2.0/folders", map[string]any{"name": bad, "parent": map[string]string{"id": "0"}}).errCode(t); code != "item_name_invalid" {
			t.Errorf("name %q: %s", bad, code)
		}
	}
	// Over 255 characters has its own code, on create, upload and rename;
	// 255 characters pass, counted as characters, not bytes.
	long := strings.Repeat("n", 256)
	if code := e.do("POST", "/2.0/folders", map[string]any{"name": long, "parent": map[string]string{"id": "0"}}).errCode(t); code != "item_name_too_long" {
		t.Errorf("256-character folder name: %s", code)
	}
	if code := e.upload("0", long, minimalPDF("x")).errCode(t); code != "item_name_too_long" {
		t.Errorf("256-character file name: %s", code)
	}
	if code := e.do("PUT", "/2.0/folders/"+a, map[string]any{"name": long}).errCode(t); code != "item_name_too_long" {
		t.Errorf("256-character rename: %s", code)
	}
	mustStatus(t, e.do("POST", "/2.0/folders", map[string]any{"name": strings.Repeat("é", 255), "parent": map[string]string{"id": "0"}}), 201)
	mustStatus(t, e.do("POST", "/2.0/folders", map[string]any{"name": "C", "parent": map[string]string{"id": "404"}}), 404)
	mustStatus(t, e.do("POST", "/2.0/folders", map[string]any{"parent": map[string]string{"id": "0"}}), 400)
	mustStatus(t, e.do("POST", "/2.0/folders", "{not json"), 400)

	// Uploads return a Files collection.
	up := e.upload(a, "doc.pdf", []byte("%PDF-1.4 hello"))
	mustStatus(t, up, 201)
	files := up.json(t)
	if files["total_count"].(float64) != 1 {
		t.Fatalf("upload: %s", up.body)
	}
	f := files["entries"].([]any)[0].(map[string]any)
	if f["name"] != "doc.pdf" || f["size"].(float64) != 14 || f["parent"].(map[string]any)["id"] != a {
		t.Errorf("uploaded file: %v", f)
	}
	mustStatus(t, e.upload("404", "x.pdf", []byte("x")), 404)
	if code := e.upload(a, "DOC.pdf", []byte("x")).errCode(t); code != "item_name_in_use" {
		t.Errorf("upload conflict: %s", code)
	}

	// Items: offset paging, then marker paging.
	for _, n := range []string{"c.pdf", "d.pdf", "e.pdf"} {
		e.uploadID(a, n)
	}
	items := e.do("GET", "/2.0/folders/"+a+"/items?limit=2&offset=0", nil).json(t)
	if items["total_count"].(float64) != 5 || len(items["entries"].([]any)) != 2 {
		t.Fatalf("offset page: %v", items)
	}
	if first := items["entries"].([]any)[0].(map[string]any); first["type"] != "folder" {
		t.Errorf("folders come first: %v", first)
	}
	var names []string
	marker := ""
	for pages := 0; pages < 10; pages++ {
		q := "/2.0/folders/" + a + "/items?usemarker=true&limit=2"
		if marker != "" {
			q += "&marker=" + marker
		}
		page := e.do("GET", q, nil).json(t)
		for _, it := range page["entries"].([]any) {
			names = append(names, it.(map[string]any)["name"].(string))
		}
		next, _ := page["next_marker"].(string)
		if next == "" {
			break
		}
		marker = next
	}
	if len(names) != 5 || names[0] != "B" || names[1] != "c.pdf" || names[4] != "e.pdf" {
		t.Errorf("marker paging: %v", names)
	}
	mustStatus(t, e.do("GET", "/2.0/folders/"+a+"/items?marker=garbage", nil), 400)
	if l := e.do("GET", "/2.0/folders/"+a+"/items?limit=5000", nil).json(t)["limit"]; l.(float64) != 1000 {
		t.Errorf("limit clamp: %v", l)
	}

	// Delete a file: trash, then 404.
	id := f["id"].(string)
	mustStatus(t, e.do("DELETE", "/2.0/files/"+id, nil), 204)
	mustStatus(t, e.do("GET", "/2.0/files/"+id, nil), 404)

	// Folders: non-empty needs recursive; then everything inside is gone.
	if code := e.do("DELETE", "/2.0/folders/"+a, nil).errCode(t); code != "folder_not_empty" {
		t.Errorf("non-recursive delete: %s", code)
	}
	c := e.uploadID(a, "keep.pdf")
	mustStatus(t, e.do("DELETE", "/2.0/folders/"+a+"?recursive=true", nil), 204)
	mustStatus(t, e.do("GET", "/2.0/folders/"+a, nil), 404)
	mustStatus(t, e.do("GET", "/2.0/folders/"+b["id"].(string), nil), 404)
	mustStatus(t, e.do("GET", "/2.0/files/"+c, nil), 404)
	mustStatus(t, e.do("DELETE", "/2.0/folders/0?recursive=true", nil), 403)
	mustStatus(t, e.do("PATCH", "/2.0/folders/0", nil), 405) // PUT is served since issue 14
	mustStatus(t, e.do("GET", "/2.0/nothing", nil), 404)
}
