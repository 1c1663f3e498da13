package emulator

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
)

// multipartTo posts Box's upload layout to path, attributes first unless
// fileFirst, with extra headers as name/value pairs.
func (e *env) multipartTo(path string, attrs map[string]any, content []byte, fileFirst bool, headers ...string) result {
	e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	a, _ := json.Marshal(attrs)
	writeFile := func() {
		fw, _ := mw.CreateFormFile("file", "upload.bin")
		_, _ = fw.Write(content)
	}
	if fileFirst {
		writeFile()
	}
	_ = mw.WriteField("attributes", string(a))
	if !fileFirst {
		writeFile()
	}
	_ = mw.Close()
	req, err := http.NewRequestWithContext(e.t.Context(), http.MethodPost, e.srv.URL+path, &buf)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+e.token)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return e.send(req)
}

func conflictID(t *testing.T, r result) string {
	t.Helper()
	ci, _ := r.json(t)["context_info"].(map[string]any)
	c, _ := ci["conflicts"].(map[string]any)
	id, _ := c["id"].(string)
	return id
}

func TestUpdateFolder(t *testing.T) {
	e := newEnv(t, Options{})
	a, b := e.folderID("A"), e.folderID("B")
	sub := e.do("POST", "/2.0/folders", map[string]any{"name": "Sub", "parent": map[string]string{"id": a}}).json(t)["id"].(string)

	t.Run("rename and describe bumps the etag", func(t *testing.T) {
		r := e.do("PUT", "/2.0/folders/"+a, map[string]any{"name": "A2", "description": "contracts"}, "If-Match", "0")
		mustStatus(t, r, 200)
		m := r.json(t)
		if m["name"] != "A2" || m["description"] != "contracts" || m["etag"] != "1" {
			t.Fatalf("got name %v description %v etag %v", m["name"], m["description"], m["etag"])
		}
	})
	t.Run("stale etag is 412", func(t *testing.T) {
		r := e.do("PUT", "/2.0/folders/"+a, map[string]any{"name": "A3"}, "If-Match", "0")
		mustStatus(t, r, 412)
		if c := r.errCode(t); c != "precondition_failed" {
			t.Fatalf("code %q", c)
		}
	})
	t.Run("move keeps the ID", func(t *testing.T) {
		r := e.do("PUT", "/2.0/folders/"+sub, map[string]any{"parent": map[string]string{"id": b}})
		mustStatus(t, r, 200)
		if p := r.json(t)["parent"].(map[string]any)["id"]; p != b {
			t.Fatalf("parent %v, want %s", p, b)
		}
	})
	t.Run("name in use names the other item", func(t *testing.T) {
		r := e.do("PUT", "/2.0/folders/"+b, map[string]any{"name": "a2"})
		mustStatus(t, r, 409)
		if r.errCode(t) != "item_name_in_use" || conflictID(t, r) != a {
			t.Fatalf("409 body %s", r.body)
		}
	})
	t.Run("into itself is refused", func(t *testing.T) {
		for _, dest := range []string{sub, b} {
			r := e.do("PUT", "/2.0/folders/"+b, map[string]any{"parent": map[string]string{"id": dest}})
			mustStatus(t, r, 400)
			if c := r.errCode(t); c != "cyclical_folder_structure" {
				t.Errorf("into %s: code %q", dest, c)
			}
		}
	})
	t.Run("invalid name and long description", func(t *testing.T) {
		mustStatus(t, e.do("PUT", "/2.0/folders/"+b, map[string]any{"name": "x/y"}), 400)
		mustStatus(t, e.do("PUT", "/2.0/folders/"+b, map[string]any{"description": strings.Repeat("d", 257)}), 400)
	})
	t.Run("root and unknown", func(t *testing.T) {
		mustStatus(t, e.do("PUT", "/2.0/folders/0", map[string]any{"name": "x"}), 403)
		mustStatus(t, e.do("PUT", "/2.0/folders/999", map[string]any{"name": "x"}), 404)
	})
}

func TestUpdateFileAndVersions(t *testing.T) {
	e := newEnv(t, Options{})
	a, b := e.folderID("A"), e.folderID("B")
	id := e.uploadID(a, "nda.pdf")
	other := e.uploadID(b, "other.pdf")

	t.Run("rename and move", func(t *testing.T) {
		r := e.do("PUT", "/2.0/files/"+id, map[string]any{"name": "NDA v1.pdf", "parent": map[string]string{"id": b}})
		mustStatus(t, r, 200)
		m := r.json(t)
		if m["name"] != "NDA v1.pdf" || m["parent"].(map[string]any)["id"] != b || m["etag"] != "1" {
			t.Fatalf("got %s", r.body)
		}
	})
	t.Run("rename onto another file is 409", func(t *testing.T) {
		r := e.do("PUT", "/2.0/files/"+id, map[string]any{"name": "OTHER.pdf"})
		mustStatus(t, r, 409)
		if conflictID(t, r) != other {
			t.Fatalf("409 body %s", r.body)
		}
	})
	t.Run("new version with the current etag", func(t *testing.T) {
		content := []byte("%PDF-1.4 version two")
		r := e.multipartTo("/api/2.0/files/"+id+"/content", map[string]any{"name": "NDA v1.pdf"}, content, false,
			"If-Match", "1", "Content-MD5", sha1Hex(content))
		mustStatus(t, r, 200)
		f := r.json(t)["entries"].([]any)[0].(map[string]any)
		if f["id"] != id || f["sha1"] != sha1Hex(content) || f["etag"] != "2" {
			t.Fatalf("got %s", r.body)
		}
	})
	t.Run("stale etag is 412", func(t *testing.T) {
		mustStatus(t, e.multipartTo("/api/2.0/files/"+id+"/content", map[string]any{"name": "NDA v1.pdf"}, []byte("x"), false, "If-Match", "1"), 412)
	})
	t.Run("attributes after the file", func(t *testing.T) {
		r := e.multipartTo("/api/2.0/files/"+id+"/content", map[string]any{"name": "NDA v1.pdf"}, []byte("x"), true)
		mustStatus(t, r, 400)
		if c := r.errCode(t); c != "metadata_after_file_contents" {
			t.Fatalf("code %q", c)
		}
	})
	t.Run("Content-MD5 mismatch", func(t *testing.T) {
		r := e.multipartTo("/api/2.0/files/"+id+"/content", map[string]any{"name": "NDA v1.pdf"}, []byte("x"), false, "Content-MD5", sha1Hex([]byte("y")))
		mustStatus(t, r, 400)
		if c := r.errCode(t); c != "bad_digest" {
			t.Fatalf("code %q", c)
		}
		mustStatus(t, e.multipartTo("/api/2.0/files/content", map[string]any{"name": "n.pdf", "parent": map[string]string{"id": a}}, []byte("x"), false, "Content-MD5", sha1Hex([]byte("y"))), 400)
	})
	t.Run("trashed file", func(t *testing.T) {
		mustStatus(t, e.do("DELETE", "/2.0/files/"+other, nil), 204)
		r := e.do("PUT", "/2.0/files/"+other, map[string]any{"name": "z.pdf"})
		mustStatus(t, r, 404)
		if c := r.errCode(t); c != "trashed" {
			t.Fatalf("code %q", c)
		}
		// A trashed item's name is free again.
		e.uploadID(b, "other.pdf")
	})
}

func TestFolderDeleteRecursive(t *testing.T) {
	e := newEnv(t, Options{})
	a := e.folderID("A")
	f := e.uploadID(a, "x.pdf")
	r := e.do("DELETE", "/2.0/folders/"+a, nil)
	mustStatus(t, r, 400)
	if c := r.errCode(t); c != "folder_not_empty" {
		t.Fatalf("code %q", c)
	}
	mustStatus(t, e.do("DELETE", "/2.0/files/"+f, nil), 204)
	// Only trashed items left: the folder counts as empty.
	mustStatus(t, e.do("DELETE", "/2.0/folders/"+a, nil), 204)
	b := e.folderID("B")
	g := e.uploadID(b, "y.pdf")
	mustStatus(t, e.do("DELETE", "/2.0/folders/"+b+"?recursive=true", nil), 204)
	if c := e.do("GET", "/2.0/files/"+g, nil).errCode(t); c != "trashed" {
		t.Fatalf("a file in a recursively deleted folder: code %q, want trashed", c)
	}
}

// Box takes at most 50 MB in a direct upload (doc "Direct Uploads"): a file
// of exactly that size passes, with its multipart envelope around it; one
// byte more is refused, for a new file and a new version alike.
func TestDirectUploadLimit(t *testing.T) {
	e := newEnv(t, Options{})
	content := bytes.Repeat([]byte("a"), 50<<20)
	r := e.upload("0", "big.txt", content)
	mustStatus(t, r, 201)
	id := r.json(t)["entries"].([]any)[0].(map[string]any)["id"].(string)
	content = append(content, 'b')
	mustStatus(t, e.upload("0", "bigger.txt", content), 413)
	mustStatus(t, e.multipartTo("/api/2.0/files/"+id+"/content", map[string]any{}, content, false), 413)
}
