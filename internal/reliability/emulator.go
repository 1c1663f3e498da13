package reliability

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/box/terraform-provider-box/internal/emulatorproc"
)

// emulator is one box-emulator process, started with -seed on a free
// loopback port through emulatorproc, and a client for its /_emulator
// controls.
type emulator struct {
	opts emulatorproc.Options

	mu   sync.Mutex
	proc *emulatorproc.Process

	URL      string
	FileID   string // the first seeded file
	FolderID string
}

// seedNeeded are the seed lines the scenarios read.
var seedNeeded = []string{"file_id", "folder_id"}

// startEmulator runs the emulator with o (o.Bin defaults to the runner's
// build). o.ConversionDelay is passed explicitly, zero unless a scenario
// sets it, so no scenario depends on the emulator's default.
func (r *runner) startEmulator(ctx context.Context, o emulatorproc.Options) (*emulator, error) {
	if o.Bin == "" {
		o.Bin = r.emulatorBin()
	}
	o.Need = seedNeeded
	p, err := emulatorproc.Start(ctx, o)
	if err != nil {
		return nil, err
	}
	e := &emulator{opts: o}
	e.set(p)
	return e, nil
}

func (e *emulator) set(p *emulatorproc.Process) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.proc, e.URL = p, p.URL
	e.FileID, e.FolderID = p.Seed.Get("file_id"), p.Seed.Get("folder_id")
}

// stop sends SIGTERM (the emulator saves -data on it) and waits.
func (e *emulator) stop() {
	e.mu.Lock()
	p := e.proc
	e.mu.Unlock()
	p.Stop()
}

// restart stops the emulator and starts it again on the same address.
func (e *emulator) restart(ctx context.Context) error {
	e.mu.Lock()
	p := e.proc
	e.mu.Unlock()
	next, err := p.Restart(ctx, e.opts)
	if err != nil {
		return err
	}
	e.set(next)
	return nil
}

// control calls an /_emulator endpoint (or, with token, the Box API) and
// decodes the JSON answer into out.
func (e *emulator) control(method, path, token string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, e.URL+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := controlClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		return fmt.Errorf("%s %s: HTTP %d: %s", method, path, resp.StatusCode, b)
	}
	if out != nil && len(b) > 0 {
		return json.Unmarshal(b, out)
	}
	return nil
}

// controlClient bounds every call to the emulator, so that a hung
// emulator fails the scenario instead of the whole run.
var controlClient = &http.Client{Timeout: 30 * time.Second}

// fault is one injected failure (see internal/emulator/control.go).
type fault struct {
	Method         string `json:"method,omitempty"`
	Path           string `json:"path"`
	Status         int    `json:"status,omitempty"`
	Times          int    `json:"times,omitempty"`
	RetryAfter     int    `json:"retry_after,omitempty"`
	DropConnection bool   `json:"drop_connection,omitempty"`
	AfterEffect    bool   `json:"after_effect,omitempty"`
}

func (e *emulator) addFaults(fs ...fault) error {
	for _, f := range fs {
		if err := e.control("POST", "/_emulator/faults", "", f, nil); err != nil {
			return err
		}
	}
	return nil
}

func (e *emulator) clearFaults() error { return e.control("DELETE", "/_emulator/faults", "", nil, nil) }

// pendingFaults describes the injected fault uses not consumed yet.
func (e *emulator) pendingFaults() (string, error) {
	var out struct {
		Entries []fault `json:"entries"`
	}
	if err := e.control("GET", "/_emulator/faults", "", nil, &out); err != nil {
		return "", err
	}
	var left []string
	for _, f := range out.Entries {
		left = append(left, fmt.Sprintf("%d× %d on %s %s", f.Times, f.Status, f.Method, f.Path))
	}
	return strings.Join(left, ", "), nil
}

// stats is the emulator's count of API responses: route → status → n.
type stats map[string]map[string]int

func (e *emulator) stats() (stats, error) {
	var out struct {
		Requests stats `json:"requests"`
	}
	err := e.control("GET", "/_emulator/stats", "", nil, &out)
	return out.Requests, err
}

// count sums a route's responses with the given statuses (all when none).
func (s stats) count(route string, statuses ...string) int {
	n := 0
	for st, c := range s[route] {
		if len(statuses) == 0 || contains(statuses, st) {
			n += c
		}
	}
	return n
}

// total is every API response the emulator gave.
func (s stats) total() int {
	n := 0
	for r := range s {
		n += s.count(r)
	}
	return n
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

type email struct {
	To            string `json:"to"`
	Kind          string `json:"kind"`
	SignRequestID string `json:"sign_request_id"`
}

func (e *emulator) emails() ([]email, error) {
	var out struct {
		Entries []email `json:"entries"`
	}
	err := e.control("GET", "/_emulator/emails", "", nil, &out)
	return out.Entries, err
}

// boxRequest is the part of a listed sign request the checks need.
type boxRequest struct {
	ID         string      `json:"id"`
	Status     string      `json:"status"`
	ExternalID string      `json:"external_id"`
	Signers    []boxSigner `json:"signers"`
}

// boxSigner is a listed request's signer: Box lists the sender as a
// final_copy_reader at signers[0].
type boxSigner struct {
	Email string `json:"email"`
	Role  string `json:"role"`
}

// signRequests lists every sign request the token's user sent. It goes
// through the Box API, so it shows up in stats: read stats first.
func (e *emulator) signRequests(token string) ([]boxRequest, error) {
	var all []boxRequest
	marker := ""
	for {
		path := "/2.0/sign_requests?limit=1000"
		if marker != "" {
			path += "&marker=" + url.QueryEscape(marker)
		}
		var page struct {
			Entries    []boxRequest `json:"entries"`
			NextMarker *string      `json:"next_marker"`
		}
		if err := e.control("GET", path, token, nil, &page); err != nil {
			return nil, err
		}
		all = append(all, page.Entries...)
		if page.NextMarker == nil || *page.NextMarker == "" {
			return all, nil
		}
		marker = *page.NextMarker
	}
}

// Credentials the emulator accepts by default (emulatorproc).
const (
	devToken     = emulatorproc.DeveloperToken
	clientID     = emulatorproc.ClientID
	clientSecret = emulatorproc.ClientSecret
	enterpriseID = emulatorproc.EnterpriseID
)

// serviceAccountToken gets a client-credentials token, to list the
// requests that a provider using CCG sent as the service account.
func (e *emulator) serviceAccountToken() (string, error) {
	return emulatorproc.ServiceAccountToken(context.Background(), e.URL)
}
