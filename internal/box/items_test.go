package box

import (
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// uploadSeen is what a fake upload endpoint saw of one request.
type uploadSeen struct {
	path, ifMatch, contentMD5 string
	parts                     []string // form names in order
	attrs                     map[string]any
	content                   string
}

func readUploadRequest(t *testing.T, r *http.Request) uploadSeen {
	t.Helper()
	s := uploadSeen{path: r.URL.Path, ifMatch: r.Header.Get("If-Match"), contentMD5: r.Header.Get("Content-MD5")}
	_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		t.Errorf("Content-Type: %v", err)
		return s
	}
	mr := multipart.NewReader(r.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err != nil {
			break
		}
		b, _ := io.ReadAll(p)
		s.parts = append(s.parts, p.FormName())
		switch p.FormName() {
		case "attributes":
			_ = json.Unmarshal(b, &s.attrs)
		case "file":
			s.content = string(b)
		}
	}
	return s
}

func TestUploadPaths(t *testing.T) {
	content := []byte("%PDF-1.4 the NDA")
	sum := SHA1Hex(content)
	var mu sync.Mutex
	var seen []uploadSeen
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := readUploadRequest(t, r)
		mu.Lock()
		seen = append(seen, s)
		mu.Unlock()
		status := http.StatusCreated
		if r.URL.Path != "/api/2.0/files/content" {
			status = http.StatusOK
		}
		writeJSON(w, status, map[string]any{"total_count": 1, "entries": []any{map[string]any{
			"type": "file", "id": "77", "name": "nda.pdf", "sha1": sum, "etag": "3", "file_version": map[string]any{"id": "v9"}}}})
	}))
	defer srv.Close()
	c, _ := newTestClient(t, srv, nil)

	t.Run("new file", func(t *testing.T) {
		f, err := c.UploadFile(t.Context(), "12", "nda.pdf", content)
		if err != nil || f.ID != "77" || f.VersionID() != "v9" || f.ETag != "3" {
			t.Fatalf("UploadFile = %+v, %v", f, err)
		}
		s := seen[len(seen)-1]
		if len(s.parts) != 2 || s.parts[0] != "attributes" || s.parts[1] != "file" {
			t.Errorf("parts in order %v, want attributes then file", s.parts)
		}
		if s.contentMD5 != sum || s.content != string(content) || s.ifMatch != "" {
			t.Errorf("Content-MD5 %q content %q If-Match %q", s.contentMD5, s.content, s.ifMatch)
		}
		if s.attrs["name"] != "nda.pdf" || s.attrs["parent"].(map[string]any)["id"] != "12" {
			t.Errorf("attributes %v", s.attrs)
		}
	})
	t.Run("new version", func(t *testing.T) {
		f, err := c.UploadFileVersion(t.Context(), "77", "2", "nda.pdf", content)
		if err != nil || f.ID != "77" {
			t.Fatalf("UploadFileVersion = %+v, %v", f, err)
		}
		s := seen[len(seen)-1]
		if s.path != "/api/2.0/files/77/content" || s.ifMatch != "2" || s.contentMD5 != sum {
			t.Errorf("path %q If-Match %q Content-MD5 %q", s.path, s.ifMatch, s.contentMD5)
		}
		if len(s.parts) != 2 || s.parts[0] != "attributes" || s.parts[1] != "file" {
			t.Errorf("parts in order %v, want attributes then file", s.parts)
		}
		if _, ok := s.attrs["parent"]; ok || s.attrs["name"] != "nda.pdf" {
			t.Errorf("a version's attributes are the name only: %v", s.attrs)
		}
	})
}

// A version upload whose first attempt took effect but whose answer was
// lost meets a new etag on the retry (412); the file then holds exactly
// the content sent, so that version is the result.
func TestUploadVersionRetryAfterLostAnswer(t *testing.T) {
	content := []byte("v2")
	attempts := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodPost:
			attempts++
			if attempts == 1 {
				w.WriteHeader(http.StatusBadGateway)
				return
			}
			boxError(w, http.StatusPreconditionFailed, "precondition_failed", "changed", "rq1")
		case r.URL.Path == "/2.0/files/77":
			writeJSON(w, 200, map[string]any{"type": "file", "id": "77", "sha1": SHA1Hex(content), "etag": "3"})
		}
	}))
	defer srv.Close()
	c, _ := newTestClient(t, srv, nil)
	f, err := c.UploadFileVersion(t.Context(), "77", "2", "a.pdf", content)
	if err != nil || f.ETag != "3" {
		t.Fatalf("got %+v, %v", f, err)
	}
	// Another's content: the 412 stands.
	attempts = 0
	if _, err := c.UploadFileVersion(t.Context(), "77", "2", "a.pdf", []byte("other")); !isStatus(err, http.StatusPreconditionFailed) {
		t.Fatalf("want the 412, got %v", err)
	}
}

func isStatus(err error, status int) bool {
	e, ok := AsError(err)
	return ok && e.StatusCode == status
}

func TestItemUpdatesAndDeletes(t *testing.T) {
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got = append(got, r.Method+" "+r.URL.RequestURI()+" "+string(b))
		switch r.Method {
		case http.MethodDelete:
			w.WriteHeader(http.StatusNoContent)
		default:
			writeJSON(w, 200, map[string]any{"type": "folder", "id": "5", "name": "N"})
		}
	}))
	defer srv.Close()
	c, _ := newTestClient(t, srv, nil)
	name, parent := "N", "9"
	if _, err := c.UpdateFolder(t.Context(), "5", ItemUpdate{Name: &name, ParentID: &parent}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpdateFile(t.Context(), "6", ItemUpdate{Name: &name}); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteFolder(t.Context(), "5", false); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteFolder(t.Context(), "5", true); err != nil {
		t.Fatal(err)
	}
	want := []string{
		`PUT /2.0/folders/5 {"name":"N","parent":{"id":"9"}}`,
		`PUT /2.0/files/6 {"name":"N"}`,
		`DELETE /2.0/folders/5 `,
		`DELETE /2.0/folders/5?recursive=true `,
	}
	for i := range want {
		if i >= len(got) || got[i] != want[i] {
			t.Fatalf("requests\n%q\nwant\n%q", got, want)
		}
	}
}
