package box

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// logSink captures Logger output.
type logSink struct {
	mu    sync.Mutex
	lines []string
}

func (l *logSink) log(_ context.Context, msg string, fields map[string]any) {
	var buf strings.Builder
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(fields)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, msg+" "+strings.TrimSpace(buf.String()))
}

func (l *logSink) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

func newTestClient(t *testing.T, srv *httptest.Server, mut func(*Config)) (*Client, *logSink) {
	t.Helper()
	logs := &logSink{}
	cfg := Config{
		APIBaseURL:    srv.URL,
		UploadBaseURL: srv.URL,
		AccessToken:   "dev-token-123",
		MaxRetries:    new(3),
		Logger:        logs.log,
		UserAgent:     "terraform-provider-box/test Terraform/1.11.0",
	}
	if mut != nil {
		mut(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	c.retryBase = time.Millisecond
	c.retryCap = 5 * time.Millisecond
	c.writeGrace = 200 * time.Millisecond
	return c, logs
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func boxError(w http.ResponseWriter, status int, code, msg, requestID string) {
	writeJSON(w, status, map[string]any{
		"type": "error", "status": status, "code": code, "message": msg,
		"help_url":   "https://developer.box.com/guides/api-calls/permissions-and-errors/common-errors/",
		"request_id": requestID,
	})
}

// fakeSign is a minimal in-test sign request store.
type fakeSign struct {
	mu    sync.Mutex
	items []SignRequest
	seq   int
	posts int
	lists int
	now   func() time.Time
}

const requesterEmail = "AutomationUser_1@boxdevedition.com"

func (f *fakeSign) create(body []byte) (SignRequest, error) {
	var req SignRequestCreate
	if err := json.Unmarshal(body, &req); err != nil {
		return SignRequest{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seq++
	now := time.Now()
	if f.now != nil {
		now = f.now()
	}
	sr := SignRequest{
		Type:        "sign-request",
		ID:          fmt.Sprintf("00000000-0000-4000-8000-%012d", f.seq),
		Status:      "converting",
		SourceFiles: req.SourceFiles,
		ExternalID:  req.ExternalID,
		TemplateID:  req.TemplateID,
		CreatedAt:   &now,
		SenderEmail: ptr(requesterEmail),
		// Box always fills parent_folder in.
		ParentFolder: &FolderRef{ID: "0-my-sign-requests", Type: "folder"},
	}
	if req.ParentFolder != nil {
		sr.ParentFolder = req.ParentFolder
	}
	if req.Name != nil {
		sr.Name = ptr(*req.Name + ".pdf")
	}
	sr.Signers = append(sr.Signers, SignRequestSigner{Email: requesterEmail, Role: "final_copy_reader"})
	for _, s := range req.Signers {
		role := s.Role
		if role == "" {
			role = "signer"
		}
		sr.Signers = append(sr.Signers, SignRequestSigner{Email: strings.ToLower(s.Email), Role: role, VerificationPhoneNumber: s.VerificationPhoneNumber})
	}
	f.items = append(f.items, sr)
	return sr, nil
}

func (f *fakeSign) list(w http.ResponseWriter) {
	f.mu.Lock()
	f.lists++
	entries := append([]SignRequest(nil), f.items...)
	f.mu.Unlock()
	// Newest first, like most Box listings.
	for i, j := 0, len(entries)-1; i < j; i, j = i+1, j-1 {
		entries[i], entries[j] = entries[j], entries[i]
	}
	writeJSON(w, 200, map[string]any{"limit": 1000, "next_marker": nil, "entries": entries})
}

func (f *fakeSign) count() (posts, lists, items int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.posts, f.lists, len(f.items)
}

func ptr[T any](v T) *T { return &v }

func sampleCreate() *SignRequestCreate {
	return &SignRequestCreate{
		Signers: []SignRequestCreateSigner{
			{Email: "Alice@Example.com", Password: ptr("correct-horse-battery")},
			{Email: "bob@example.com", VerificationPhoneNumber: ptr("+15551234567")},
		},
		SourceFiles:  []FileRef{{ID: "12345", Type: "file"}},
		ParentFolder: &FolderRef{ID: "678", Type: "folder"},
		Name:         ptr("Contract"),
		ExternalID:   ptr("ext-1"),
	}
}
