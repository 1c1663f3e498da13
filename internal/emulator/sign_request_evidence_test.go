package emulator

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// download fetches a file's bytes the way a client that follows Box's
// redirect does, checking the 302 on the way.
func (e *env) download(fileID, version string) []byte {
	e.t.Helper()
	path := "/2.0/files/" + fileID + "/content"
	if version != "" {
		path += "?version=" + version
	}
	req, err := http.NewRequestWithContext(e.t.Context(), "GET", e.srv.URL+path, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+e.token)
	noFollow := *e.srv.Client()
	noFollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := noFollow.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	resp.Body.Close()
	conform(e.t, e.emu, "GET", path, result{status: resp.StatusCode, header: resp.Header})
	if resp.StatusCode != http.StatusFound {
		e.t.Fatalf("download %s: %d, want 302", path, resp.StatusCode)
	}
	link := e.control("GET", resp.Header.Get("Location"), nil)
	mustStatus(e.t, link, 200)
	// A link serves once, as Box's expire.
	mustStatus(e.t, e.control("GET", resp.Header.Get("Location"), nil), 404)
	return link.body
}

// signedRequest is a sent request with a prefill tag, signed by its one
// signer with a typed value and an attachment, then finalized.
func signedRequest(t *testing.T, e *env) (sr map[string]any, signFileID string) {
	t.Helper()
	file := e.uploadID("0", "contract.pdf")
	sr = e.createSR(map[string]any{"signers": []any{sgn("s@example.com")}, "source_files": fileRef(file),
		"prefill_tags": []any{map[string]any{"document_tag_id": "company", "text_value": "Acme"}}})
	id := sr["id"].(string)
	mustStatus(t, e.control("POST", "/_emulator/sign_requests/"+id+"/signers/s@example.com/open", nil), 200)
	// A tag the request does not have is refused, and nothing is signed.
	r := e.control("POST", "/_emulator/sign_requests/"+id+"/signers/s@example.com/sign",
		map[string]any{"inputs": []any{map[string]any{"document_tag_id": "nope", "text_value": "x"}}})
	mustStatus(t, r, 400)
	mustStatus(t, e.control("POST", "/_emulator/sign_requests/"+id+"/signers/s@example.com/sign", map[string]any{
		"inputs":     []any{map[string]any{"document_tag_id": "company", "text_value": "Acme Ltd"}},
		"attachment": map[string]any{"name": "passport.pdf", "content": "%PDF-1.4 id"},
	}), 200)
	got := e.do("GET", "/2.0/sign_requests/"+id, nil).json(t)
	files := got["sign_files"].(map[string]any)["files"].([]any)
	return got, files[0].(map[string]any)["id"].(string)
}

// A signature leaves what the signer typed and uploaded on the signer, a
// new version of the signed copy whose SHA-1 is that of the bytes served,
// the earlier version in the file's history, and a finished_at.
func TestSignerEvidenceAndSignedVersions(t *testing.T) {
	e := newEnv(t, Options{})
	sr, signFile := signedRequest(t, e)
	if sr["status"] != "signed" || sr["finished_at"] == nil || sr["error_code"] != nil {
		t.Fatalf("status %v, finished_at %v, error_code %v", sr["status"], sr["finished_at"], sr["error_code"])
	}
	s := signersOf(sr)[1]
	inputs := s["inputs"].([]any)
	if len(inputs) != 1 {
		t.Fatalf("inputs %v", inputs)
	}
	in := inputs[0].(map[string]any)
	if in["document_tag_id"] != "company" || in["text_value"] != "Acme Ltd" || in["type"] != "text" {
		t.Errorf("input %v", in)
	}
	atts, _ := s["attachments"].([]any)
	if len(atts) != 1 || atts[0].(map[string]any)["name"] != "passport.pdf" {
		t.Fatalf("attachments %v", s["attachments"])
	}
	att := e.do("GET", "/2.0/files/"+atts[0].(map[string]any)["id"].(string), nil)
	mustStatus(t, att, 200)
	if string(e.download(att.json(t)["id"].(string), "")) != "%PDF-1.4 id" {
		t.Error("the attachment's content differs from what the signer uploaded")
	}
	if signersOf(sr)[0]["attachments"] != nil {
		t.Error("the requester uploaded nothing, yet has attachments")
	}

	f := e.do("GET", "/2.0/files/"+signFile, nil).json(t)
	body := e.download(signFile, "")
	if sha1Hex(body) != f["sha1"] || f["file_version"].(map[string]any)["sha1"] != f["sha1"] {
		t.Errorf("served bytes hash to %s; the file says %v", sha1Hex(body), f["sha1"])
	}
	if !strings.Contains(string(body), "Signed by s@example.com") {
		t.Error("the signed copy does not hold the signature")
	}
	versions := e.do("GET", "/2.0/files/"+signFile+"/versions", nil)
	mustStatus(t, versions, 200)
	entries := versions.json(t)["entries"].([]any)
	if len(entries) != 1 {
		t.Fatalf("past versions %v, want the one before the signature", entries)
	}
	past := entries[0].(map[string]any)
	if past["id"] == f["file_version"].(map[string]any)["id"] || past["sha1"] == f["sha1"] {
		t.Error("the current version is listed among the past ones")
	}
	if old := e.download(signFile, past["id"].(string)); sha1Hex(old) != past["sha1"] || strings.Contains(string(old), "Signed by") {
		t.Error("the past version's content is not the unsigned copy")
	}
	mustStatus(t, e.do("GET", "/2.0/files/999/versions", nil), 404)

	// The signing log's final version records the decision.
	logID := sr["signing_log"].(map[string]any)["id"].(string)
	if !strings.Contains(string(e.download(logID, "")), "s@example.com signed") {
		t.Error("the signing log does not record the signature")
	}
}

// A copy is a new file with the content and name of the source; the same
// name in the destination again is 409 item_name_in_use naming the copy.
func TestCopyFile(t *testing.T) {
	e := newEnv(t, Options{})
	_, signFile := signedRequest(t, e)
	dest := e.folderID("Evidence")
	r := e.do("POST", "/2.0/files/"+signFile+"/copy", map[string]any{"parent": map[string]string{"id": dest}})
	mustStatus(t, r, 201)
	cp := r.json(t)
	src := e.do("GET", "/2.0/files/"+signFile, nil).json(t)
	if cp["id"] == signFile || cp["sha1"] != src["sha1"] || cp["name"] != src["name"] {
		t.Errorf("copy %v of %v", cp, src)
	}
	again := e.do("POST", "/2.0/files/"+signFile+"/copy", map[string]any{"parent": map[string]string{"id": dest}})
	mustStatus(t, again, 409)
	var env struct {
		Code        string `json:"code"`
		ContextInfo struct {
			Conflicts []map[string]any `json:"conflicts"`
		} `json:"context_info"`
	}
	if err := json.Unmarshal(again.body, &env); err != nil || env.Code != "item_name_in_use" ||
		len(env.ContextInfo.Conflicts) != 1 || env.ContextInfo.Conflicts[0]["id"] != cp["id"] {
		t.Errorf("second copy: %s", again.body)
	}
	renamed := e.do("POST", "/2.0/files/"+signFile+"/copy", map[string]any{"parent": map[string]string{"id": dest}, "name": "a/b.pdf"})
	mustStatus(t, renamed, 201)
	if renamed.json(t)["name"] != "ab.pdf" {
		t.Errorf("name %v, want the slash removed", renamed.json(t)["name"])
	}
	mustStatus(t, e.do("POST", "/2.0/files/"+signFile+"/copy", map[string]any{}), 400)
	mustStatus(t, e.do("POST", "/2.0/files/"+signFile+"/copy", map[string]any{"parent": map[string]string{"id": "999"}}), 404)
}

// A declined request keeps the reason; a cancelled one keeps its reason
// where the emulator's control shows it; a failed conversion has an
// error_code.
func TestDeclineCancelAndErrorCode(t *testing.T) {
	e := newEnv(t, Options{})
	file := e.uploadID("0", "a.pdf")
	body := map[string]any{"signers": []any{sgn("s@example.com")}, "source_files": fileRef(file)}
	id := e.createSR(body)["id"].(string)
	mustStatus(t, e.control("POST", "/_emulator/sign_requests/"+id+"/signers/s@example.com/decline", map[string]any{"reason": "Wrong amount"}), 200)
	got := e.do("GET", "/2.0/sign_requests/"+id, nil).json(t)
	if dec := signersOf(got)[1]["signer_decision"].(map[string]any); dec["additional_info"] != "Wrong amount" || got["finished_at"] == nil {
		t.Errorf("decision %v, finished_at %v", dec, got["finished_at"])
	}

	id = e.createSR(body)["id"].(string)
	mustStatus(t, e.do("POST", "/2.0/sign_requests/"+id+"/cancel", map[string]any{"reason": "Superseded"}), 200)
	ctl := e.control("GET", "/_emulator/sign_requests/"+id, nil)
	mustStatus(t, ctl, 200)
	if m := ctl.json(t); m["cancel_reason"] != "Superseded" || m["sign_request"].(map[string]any)["status"] != "cancelled" {
		t.Errorf("control: %s", ctl.body)
	}

	bad := e.upload("0", "b.bin", []byte{0, 1, 2, 3})
	mustStatus(t, bad, 201)
	badID := bad.json(t)["entries"].([]any)[0].(map[string]any)["id"].(string)
	id = e.createSR(map[string]any{"signers": []any{sgn("s@example.com")}, "source_files": fileRef(badID)})["id"].(string)
	got = e.do("GET", "/2.0/sign_requests/"+id, nil).json(t)
	if got["status"] != "error_converting" || got["error_code"] != "file_conversion_failed" || got["request_flow"] != "standard" {
		t.Errorf("status %v, error_code %v, request_flow %v", got["status"], got["error_code"], got["request_flow"])
	}
}
