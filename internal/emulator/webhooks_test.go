package emulator

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
)

const (
	testPrimaryKey   = "primary-signature-key"
	testSecondaryKey = "secondary-signature-key"
)

// receiver is a TLS webhook receiver on loopback that keeps what it gets
// and answers with the statuses it is told, then 200.
type receiver struct {
	srv *httptest.Server

	mu       sync.Mutex
	got      []receivedDelivery
	statuses []int // answers to the first requests, in order
}

type receivedDelivery struct {
	header http.Header
	body   []byte
}

func newReceiver(t *testing.T, statuses ...int) *receiver {
	t.Helper()
	r := &receiver{statuses: statuses}
	r.srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.got = append(r.got, receivedDelivery{header: req.Header.Clone(), body: b})
		status := http.StatusOK
		if len(r.statuses) > 0 {
			status, r.statuses = r.statuses[0], r.statuses[1:]
		}
		r.mu.Unlock()
		w.WriteHeader(status)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

// caPEM is the receiver's self-signed certificate, for RootCAsPEM.
func (r *receiver) caPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: r.srv.Certificate().Raw})
}

func (r *receiver) received() []receivedDelivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]receivedDelivery(nil), r.got...)
}

// newHookEnv is an env whose emulator trusts rcv's certificate, signs with
// both test keys and retries quickly; its deliveries stop with the test.
func newHookEnv(t *testing.T, rcv *receiver, opts Options) *env {
	t.Helper()
	opts.Webhooks.PrimaryKey, opts.Webhooks.SecondaryKey = testPrimaryKey, testSecondaryKey
	if rcv != nil {
		opts.Webhooks.RootCAsPEM = rcv.caPEM()
	}
	if opts.Webhooks.RetryDelay == 0 {
		opts.Webhooks.RetryDelay = 10 * time.Millisecond
	}
	e := newEnv(t, opts)
	t.Cleanup(func() { _ = e.emu.Close() })
	return e
}

func (e *env) webhook(target, typ, address string, triggers ...string) map[string]any {
	e.t.Helper()
	r := e.do("POST", "/2.0/webhooks", map[string]any{
		"target": map[string]any{"id": target, "type": typ}, "address": address, "triggers": triggers})
	mustStatus(e.t, r, 201)
	return r.json(e.t)
}

// settledDeliveries waits until n deliveries are logged and none is pending.
func (e *env) settledDeliveries(n int) []map[string]any {
	e.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var list []map[string]any
		pending := false
		for _, x := range e.control("GET", "/_emulator/webhook_deliveries", nil).json(e.t)["entries"].([]any) {
			d := x.(map[string]any)
			pending = pending || d["status"] == deliveryPending
			list = append(list, d)
		}
		if len(list) >= n && !pending {
			return list
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("deliveries did not settle: want %d, have %v", n, list)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// hmacB64 computes Box's signature the way its guide spells it out, apart
// from the emulator's code: HMAC-SHA256 over the body, then the timestamp.
func hmacB64(key string, body []byte, ts string) string {
	h := hmac.New(sha256.New, []byte(key))
	h.Write(append(append([]byte{}, body...), ts...))
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}

func TestWebhooksCRUD(t *testing.T) {
	e := newHookEnv(t, nil, Options{})
	folder := e.folderID("Signed")
	file := e.uploadID(folder, "a.pdf")
	addr := "https://127.0.0.1:8443/hook"

	w := e.webhook(folder, "folder", addr, "SIGN_REQUEST.COMPLETED", "SIGN_REQUEST.SIGNER_SIGNED")
	id := w["id"].(string)
	if w["type"] != "webhook" || w["address"] != addr || w["created_by"].(map[string]any)["id"] != adminUserID {
		t.Errorf("created webhook: %v", w)
	}
	if tg := w["target"].(map[string]any); tg["id"] != folder || tg["type"] != "folder" {
		t.Errorf("target: %v", tg)
	}
	if got := e.do("GET", "/2.0/webhooks/"+id, nil).json(t); got["address"] != addr {
		t.Errorf("get: %v", got)
	}
	// One webhook per target per user of the app: 409.
	r := e.do("POST", "/2.0/webhooks", map[string]any{"target": map[string]any{"id": folder, "type": "folder"},
		"address": addr, "triggers": []string{"FILE.UPLOADED"}})
	mustStatus(t, r, 409)
	_ = r.errCode(t)
	// A file is another target.
	fw := e.webhook(file, "file", "https://hooks.example.com/x", "FILE.TRASHED")

	// Update in place: triggers and address.
	r = e.do("PUT", "/2.0/webhooks/"+id, map[string]any{"triggers": []string{"SIGN_REQUEST.DECLINED"}, "address": "https://[::1]:9/h"})
	mustStatus(t, r, 200)
	if u := r.json(t); u["id"] != id || u["triggers"].([]any)[0] != "SIGN_REQUEST.DECLINED" || u["address"] != "https://[::1]:9/h" {
		t.Errorf("update: %v", u)
	}
	// Moving it onto the file's target clashes with the file's webhook.
	mustStatus(t, e.do("PUT", "/2.0/webhooks/"+id, map[string]any{"target": map[string]any{"id": file, "type": "file"}}), 409)
	mustStatus(t, e.do("PUT", "/2.0/webhooks/"+id, map[string]any{"triggers": []string{"NOPE"}}), 400)

	// List: marker paging over the owner's webhooks, oldest first.
	p1 := e.do("GET", "/2.0/webhooks?limit=1", nil).json(t)
	if ents := p1["entries"].([]any); len(ents) != 1 || ents[0].(map[string]any)["id"] != id || p1["next_marker"] == nil {
		t.Fatalf("page 1: %v", p1)
	}
	p2 := e.do("GET", "/2.0/webhooks?limit=1&marker="+p1["next_marker"].(string), nil).json(t)
	if ents := p2["entries"].([]any); len(ents) != 1 || ents[0].(map[string]any)["id"] != fw["id"] || p2["next_marker"] != nil {
		t.Fatalf("page 2: %v", p2)
	}
	mustStatus(t, e.do("GET", "/2.0/webhooks?marker=bogus", nil), 400)
	// Another user sees neither the webhooks nor, by ID, a webhook.
	if ents := e.do("GET", "/2.0/webhooks", nil, "As-User", memberUserID).json(t)["entries"].([]any); len(ents) != 0 {
		t.Errorf("member lists %v", ents)
	}
	mustStatus(t, e.do("GET", "/2.0/webhooks/"+id, nil, "As-User", memberUserID), 404)

	mustStatus(t, e.do("DELETE", "/2.0/webhooks/"+id, nil), 204)
	mustStatus(t, e.do("GET", "/2.0/webhooks/"+id, nil), 404)
	mustStatus(t, e.do("DELETE", "/2.0/webhooks/"+id, nil), 404)
	// The target is free again.
	e.webhook(folder, "folder", addr, "FILE.UPLOADED")
}

func TestWebhookCreateRules(t *testing.T) {
	e := newHookEnv(t, nil, Options{})
	folder := e.folderID("F")
	target := map[string]any{"id": folder, "type": "folder"}
	ok := "https://hooks.example.com/box"
	cases := []struct {
		name   string
		body   map[string]any
		status int
		field  string
	}{
		{"no target", map[string]any{"address": ok, "triggers": []string{"FILE.UPLOADED"}}, 400, "target"},
		{"no address", map[string]any{"target": target, "triggers": []string{"FILE.UPLOADED"}}, 400, "address"},
		{"no triggers", map[string]any{"target": target, "address": ok}, 400, "triggers"},
		{"empty triggers", map[string]any{"target": target, "address": ok, "triggers": []string{}}, 400, "triggers"},
		{"unknown trigger", map[string]any{"target": target, "address": ok, "triggers": []string{"FILE.EATEN"}}, 400, "triggers"},
		{"bad type", map[string]any{"target": map[string]any{"id": folder, "type": "web_link"}, "address": ok, "triggers": []string{"FILE.UPLOADED"}}, 400, "target.type"},
		{"root folder", map[string]any{"target": map[string]any{"id": "0", "type": "folder"}, "address": ok, "triggers": []string{"FILE.UPLOADED"}}, 400, "target.id"},
		{"http", map[string]any{"target": target, "address": "http://hooks.example.com/box", "triggers": []string{"FILE.UPLOADED"}}, 400, "address"},
		{"port 8443", map[string]any{"target": target, "address": "https://hooks.example.com:8443/box", "triggers": []string{"FILE.UPLOADED"}}, 400, "address"},
		{"not a URL", map[string]any{"target": target, "address": "hooks", "triggers": []string{"FILE.UPLOADED"}}, 400, "address"},
		{"missing folder", map[string]any{"target": map[string]any{"id": "42", "type": "folder"}, "address": ok, "triggers": []string{"FILE.UPLOADED"}}, 404, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := e.do("POST", "/2.0/webhooks", c.body)
			mustStatus(t, r, c.status)
			_ = r.errCode(t)
			if c.field != "" {
				errs := r.json(t)["context_info"].(map[string]any)["errors"].([]any)
				if n := errs[0].(map[string]any)["name"]; n != c.field {
					t.Errorf("field %v, want %s", n, c.field)
				}
			}
		})
	}
	// A folder the caller cannot see answers 404, as a missing one.
	r := e.do("POST", "/2.0/webhooks", map[string]any{"target": target, "address": ok, "triggers": []string{"FILE.UPLOADED"}},
		"As-User", memberUserID)
	mustStatus(t, r, 404)
	// Both spellings of the sign triggers, and 443 stated outright.
	w := e.webhook(folder, "folder", "https://hooks.example.com:443/box",
		"SIGN_REQUEST.SIGNER_SIGNED", "SIGN_REQUEST.SIGN_SIGNER_SIGNED", "SIGN_REQUEST.SIGNATURE_REQUESTED",
		"SIGN_REQUEST.SIGN_DOCUMENT_CREATED", "SIGN_REQUEST.ERROR_FINALIZING", "SIGN_REQUEST.SIGN_ERROR_FINALIZING")
	if n := len(w["triggers"].([]any)); n != 6 {
		t.Errorf("triggers kept: %d", n)
	}
	// Loopback on any port passes (the emulator's one deviation).
	other := e.folderID("G")
	e.webhook(other, "folder", "https://localhost:1234/box", "FILE.UPLOADED")
}

func TestWebhookDeliverySignatures(t *testing.T) {
	rcv := newReceiver(t)
	e := newHookEnv(t, rcv, Options{})
	folder := e.folderID("Inbox")
	w := e.webhook(folder, "folder", rcv.srv.URL+"/box", "FILE.UPLOADED")
	file := e.uploadID(folder, "a.pdf")

	ds := e.settledDeliveries(1)
	if ds[0]["status"] != deliveryDelivered || len(ds[0]["attempts"].([]any)) != 1 {
		t.Fatalf("delivery: %v", ds[0])
	}
	got := rcv.received()
	if len(got) != 1 {
		t.Fatalf("received %d", len(got))
	}
	h, body := got[0].header, got[0].body
	ts := h.Get("BOX-DELIVERY-TIMESTAMP")
	if _, err := time.Parse(time.RFC3339, ts); err != nil {
		t.Errorf("timestamp %q: %v", ts, err)
	}
	if h.Get("BOX-SIGNATURE-VERSION") != "1" || h.Get("BOX-SIGNATURE-ALGORITHM") != "HmacSHA256" || h.Get("BOX-DELIVERY-ID") == "" {
		t.Errorf("headers: %v", h)
	}
	if p := h.Get("BOX-SIGNATURE-PRIMARY"); p != hmacB64(testPrimaryKey, body, ts) {
		t.Errorf("primary signature %q", p)
	}
	if s := h.Get("BOX-SIGNATURE-SECONDARY"); s != hmacB64(testSecondaryKey, body, ts) {
		t.Errorf("secondary signature %q", s)
	}
	if h.Get("BOX-SIGNATURE-PRIMARY") == hmacB64(testPrimaryKey, body, "") {
		t.Error("the timestamp is not part of the signature")
	}
	var p map[string]any
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatal(err)
	}
	if p["type"] != "webhook_event" || p["trigger"] != "FILE.UPLOADED" || p["id"] == "" ||
		p["webhook"].(map[string]any)["id"] != w["id"] || p["source"].(map[string]any)["id"] != file ||
		p["created_by"].(map[string]any)["id"] != adminUserID {
		t.Errorf("payload: %s", body)
	}
}

func TestWebhookRetries(t *testing.T) {
	rcv := newReceiver(t, 500, 503)
	e := newHookEnv(t, rcv, Options{})
	folder := e.folderID("Inbox")
	e.webhook(folder, "folder", rcv.srv.URL+"/", "FOLDER.CREATED")
	mustStatus(t, e.do("POST", "/2.0/folders", map[string]any{"name": "Sub", "parent": map[string]string{"id": folder}}), 201)

	d := e.settledDeliveries(1)[0]
	attempts := d["attempts"].([]any)
	if d["status"] != deliveryDelivered || len(attempts) != 3 {
		t.Fatalf("delivery after two failures: %v", d)
	}
	got := rcv.received()
	if len(got) != 3 {
		t.Fatalf("received %d", len(got))
	}
	ids := map[string]bool{}
	for i, g := range got {
		ids[g.header.Get("BOX-DELIVERY-ID")] = true
		if string(g.body) != string(got[0].body) {
			t.Errorf("attempt %d: the body changed", i)
		}
		if want := []int{500, 503, 0}[i]; want != 0 && int(attempts[i].(map[string]any)["status_code"].(float64)) != want {
			t.Errorf("attempt %d: %v", i, attempts[i])
		}
	}
	if len(ids) != 3 {
		t.Errorf("delivery IDs must change per attempt: %v", ids)
	}

	// Bounded: a receiver that always fails gets MaxRetries+1 attempts.
	bad := newReceiver(t, 500, 500, 500, 500, 500)
	e2 := newHookEnv(t, bad, Options{Webhooks: WebhookOptions{MaxRetries: 2}})
	f2 := e2.folderID("Inbox")
	e2.webhook(f2, "folder", bad.srv.URL+"/", "FILE.UPLOADED")
	e2.uploadID(f2, "a.pdf")
	d = e2.settledDeliveries(1)[0]
	if d["status"] != deliveryFailed || len(d["attempts"].([]any)) != 3 || len(bad.received()) != 3 {
		t.Errorf("bounded retries: %v, received %d", d, len(bad.received()))
	}
}

func TestWebhookOnlyLoopbackIsContacted(t *testing.T) {
	dialled := make(chan string, 4)
	e := newHookEnv(t, nil, Options{Webhooks: WebhookOptions{Dial: func(_ context.Context, _, addr string) (net.Conn, error) {
		dialled <- addr
		return nil, &net.OpError{Op: "dial", Err: io.EOF}
	}}})
	folder := e.folderID("Inbox")
	e.webhook(folder, "folder", "https://hooks.example.com/box", "FILE.UPLOADED")
	e.uploadID(folder, "a.pdf")
	d := e.settledDeliveries(1)[0]
	if d["status"] != deliveryNotDelivered || len(d["attempts"].([]any)) != 0 || !strings.Contains(d["reason"].(string), "not contacted") {
		t.Errorf("delivery: %v", d)
	}
	select {
	case a := <-dialled:
		t.Errorf("dialled %s", a)
	default:
	}
	// The control is listed.
	found := false
	for _, c := range e.control("GET", "/_emulator", nil).json(t)["controls"].([]any) {
		if c.(map[string]any)["path"] == "/_emulator/webhook_deliveries" {
			found = true
		}
	}
	if !found {
		t.Error("GET /_emulator does not list webhook_deliveries")
	}
}

func TestWebhookItemEvents(t *testing.T) {
	rcv := newReceiver(t)
	e := newHookEnv(t, rcv, Options{})
	top := e.folderID("Top")
	sub := e.do("POST", "/2.0/folders", map[string]any{"name": "Sub", "parent": map[string]string{"id": top}}).json(t)["id"].(string)
	other := e.folderID("Other")
	e.webhook(top, "folder", rcv.srv.URL+"/", "FILE.UPLOADED", "FILE.RENAMED", "FILE.MOVED", "FILE.TRASHED", "FOLDER.CREATED")

	file := e.uploadID(sub, "a.pdf") // below the target: heard
	mustStatus(t, e.do("PUT", "/2.0/files/"+file, map[string]any{"name": "b.pdf"}), 200)
	mustStatus(t, e.do("POST", "/2.0/folders", map[string]any{"name": "Deeper", "parent": map[string]string{"id": sub}}), 201)
	mustStatus(t, e.do("DELETE", "/2.0/files/"+file, nil), 204)
	e.uploadID(other, "elsewhere.pdf") // not below the target: not heard
	moved := e.uploadID(other, "m.pdf")
	mustStatus(t, e.do("PUT", "/2.0/files/"+moved, map[string]any{"parent": map[string]any{"id": sub}}), 200)

	ds := e.settledDeliveries(5)
	var triggers []string
	for _, d := range ds {
		triggers = append(triggers, d["trigger"].(string))
	}
	want := "FILE.UPLOADED FILE.RENAMED FOLDER.CREATED FILE.TRASHED FILE.MOVED"
	if strings.Join(triggers, " ") != want {
		t.Errorf("triggers %v, want %s", triggers, want)
	}
}

// A copy fires FILE.COPIED with the new file as its source: a webhook on
// the destination folder hears it, one on a folder the copy is not in does
// not.
func TestWebhookFileCopied(t *testing.T) {
	rcv := newReceiver(t)
	e := newHookEnv(t, rcv, Options{})
	src := e.folderID("Source")
	dest := e.folderID("Archive")
	file := e.uploadID(src, "signed.pdf")
	e.webhook(dest, "folder", rcv.srv.URL+"/", "FILE.COPIED")
	r := e.do("POST", "/2.0/files/"+file+"/copy", map[string]any{"parent": map[string]string{"id": dest}})
	mustStatus(t, r, 201)
	cp := r.json(t)["id"].(string)
	mustStatus(t, e.do("POST", "/2.0/files/"+file+"/copy", map[string]any{"parent": map[string]string{"id": src}, "name": "again.pdf"}), 201)
	ds := e.settledDeliveries(1)
	raw, _ := json.Marshal(ds[0]["payload"])
	var p struct {
		Trigger string `json:"trigger"`
		Source  struct {
			ID   string `json:"id"`
			Type string `json:"type"`
		} `json:"source"`
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		t.Fatal(err)
	}
	if p.Trigger != "FILE.COPIED" || p.Source.Type != "file" || p.Source.ID != cp {
		t.Errorf("delivery %s of %s %s, want FILE.COPIED of file %s (the copy)", p.Trigger, p.Source.Type, p.Source.ID, cp)
	}
}

func TestWebhookSignEvents(t *testing.T) {
	rcv := newReceiver(t)
	e := newHookEnv(t, rcv, Options{})
	folder := e.folderID("Signed copies")
	file := e.uploadID(folder, "contract.pdf")
	// The guide's spellings for two triggers, the spec's for the others.
	e.webhook(folder, "folder", rcv.srv.URL+"/", "SIGN_REQUEST.SIGNATURE_REQUESTED", "SIGN_REQUEST.SIGN_SIGNER_SIGNED",
		"SIGN_REQUEST.COMPLETED", "SIGN_REQUEST.DECLINED", "SIGN_REQUEST.EXPIRED")
	body := map[string]any{"signers": []any{sgn("a@example.com"), sgn("b@example.com")}, "source_files": fileRef(file),
		"parent_folder": map[string]any{"type": "folder", "id": folder}}
	sr := e.createSR(body)
	id := sr["id"].(string)
	for _, who := range []string{"a@example.com", "b@example.com"} {
		for _, act := range []string{"open", "sign"} {
			mustStatus(t, e.control("POST", "/_emulator/sign_requests/"+id+"/signers/"+who+"/"+act, nil), 200)
		}
	}
	declined := e.createSR(body)["id"].(string)
	mustStatus(t, e.control("POST", "/_emulator/sign_requests/"+declined+"/signers/a@example.com/decline", nil), 200)
	expired := e.createSR(body)["id"].(string)
	mustStatus(t, e.control("POST", "/_emulator/sign_requests/"+expired+"/expire", nil), 200)

	ds := e.settledDeliveries(8)
	var got []string
	for _, d := range ds {
		var p map[string]any
		raw, _ := json.Marshal(d["payload"])
		_ = json.Unmarshal(raw, &p)
		info := p["additional_info"].(map[string]any)
		got = append(got, p["trigger"].(string)+"@"+map[string]string{id: "1", declined: "2", expired: "3"}[info["sign_request_id"].(string)])
	}
	want := "SIGN_REQUEST.SIGNATURE_REQUESTED@1 SIGN_REQUEST.SIGN_SIGNER_SIGNED@1 SIGN_REQUEST.SIGN_SIGNER_SIGNED@1 SIGN_REQUEST.COMPLETED@1 " +
		"SIGN_REQUEST.SIGNATURE_REQUESTED@2 SIGN_REQUEST.DECLINED@2 SIGN_REQUEST.SIGNATURE_REQUESTED@3 SIGN_REQUEST.EXPIRED@3"
	if strings.Join(got, " ") != want {
		t.Errorf("events:\n got %v\nwant %s", got, want)
	}
}

func TestWebhookTimedSettleAndClose(t *testing.T) {
	// With a conversion delay on the real clock, the request is sent and
	// announced without anyone reading it.
	rcv := newReceiver(t)
	e := newHookEnv(t, rcv, Options{ConversionDelay: 50 * time.Millisecond, Now: time.Now})
	folder := e.folderID("F")
	file := e.uploadID(folder, "a.pdf")
	e.webhook(folder, "folder", rcv.srv.URL+"/", "SIGN_REQUEST.SIGN_DOCUMENT_CREATED")
	e.createSR(map[string]any{"signers": []any{sgn("a@example.com")}, "source_files": fileRef(file)})
	if d := e.settledDeliveries(1)[0]; d["status"] != deliveryDelivered {
		t.Fatalf("delivery: %v", d)
	}

	// Close ends a delivery waiting for its next retry, at once.
	bad := newReceiver(t, 500)
	e2 := newHookEnv(t, bad, Options{Webhooks: WebhookOptions{RetryDelay: time.Hour}})
	f2 := e2.folderID("F")
	e2.webhook(f2, "folder", bad.srv.URL+"/", "FILE.UPLOADED")
	e2.uploadID(f2, "a.pdf")
	for len(bad.received()) == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	start := time.Now()
	_ = e2.emu.Close()
	if time.Since(start) > 5*time.Second {
		t.Errorf("Close took %v", time.Since(start))
	}
	d := e2.control("GET", "/_emulator/webhook_deliveries", nil).json(t)["entries"].([]any)[0].(map[string]any)
	if d["status"] != deliveryFailed {
		t.Errorf("after Close: %v", d)
	}
}

// coverWebhooks drives every webhook operation to a success and an error
// for TestConformanceCoverage.
func coverWebhooks(t *testing.T) {
	e := newHookEnv(t, nil, Options{})
	folder := e.folderID("Hooks")
	id := e.webhook(folder, "folder", "https://hooks.example.com/box", "FILE.UPLOADED")["id"].(string)
	mustStatus(t, e.do("POST", "/2.0/webhooks", map[string]any{"address": "x"}), 400)
	mustStatus(t, e.do("GET", "/2.0/webhooks", nil), 200)
	mustStatus(t, e.do("GET", "/2.0/webhooks?limit=x", nil), 400)
	mustStatus(t, e.do("GET", "/2.0/webhooks/"+id, nil), 200)
	mustStatus(t, e.do("GET", "/2.0/webhooks/1", nil), 404)
	mustStatus(t, e.do("PUT", "/2.0/webhooks/"+id, map[string]any{"triggers": []string{"FILE.TRASHED"}}), 200)
	mustStatus(t, e.do("PUT", "/2.0/webhooks/1", map[string]any{}), 404)
	mustStatus(t, e.do("DELETE", "/2.0/webhooks/"+id, nil), 204)
	mustStatus(t, e.do("DELETE", "/2.0/webhooks/"+id, nil), 404)
}

// widenWebhookTriggers adds the Box Sign guide's spellings of three sign
// triggers to the Webhook schema's enum: the emulator accepts and echoes
// both spellings (FIDELITY.md, "Webhooks"); every other value stays strict.
func widenWebhookTriggers(doc *openapi3.T) {
	items := doc.Components.Schemas["Webhook"].Value.AllOf[1].Value.Properties["triggers"].Value.Items.Value
	for guide := range signTriggerSpellings {
		items.Enum = append(items.Enum, guide)
	}
}
