package reliability

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// emulator is one box-emulator process, started with -seed on a free
// loopback port, and a client for its /_emulator controls.
type emulator struct {
	bin  string
	args []string

	mu     sync.Mutex
	cmd    *exec.Cmd
	done   chan struct{}
	stderr *bytes.Buffer

	URL      string
	addr     string // host:port, kept across restarts
	FileID   string
	FolderID string
}

// startEmulator runs bin -seed with args on 127.0.0.1:0.
func startEmulator(ctx context.Context, bin string, args ...string) (*emulator, error) {
	e := &emulator{bin: bin, args: args, addr: "127.0.0.1:0"}
	if err := e.start(ctx); err != nil {
		return nil, err
	}
	return e, nil
}

func (e *emulator) start(ctx context.Context) error {
	args := append([]string{"-addr", e.addr, "-seed"}, e.args...)
	cmd := exec.CommandContext(ctx, e.bin, args...)
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	stderr := &bytes.Buffer{}
	cmd.Stderr = stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting %s: %w", e.bin, err)
	}
	done := make(chan struct{})
	lines := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		_ = cmd.Wait()
		close(done)
	}()
	seed := map[string]string{}
	timeout := time.After(20 * time.Second)
	url := ""
read:
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				break read
			}
			if rest, ok := strings.CutPrefix(l, "box-emulator listening on "); ok {
				url = strings.TrimSpace(rest)
			} else if rest, ok := strings.CutPrefix(l, "seed "); ok {
				k, v, _ := strings.Cut(rest, ": ")
				if _, dup := seed[k]; !dup {
					seed[k] = strings.TrimSpace(v)
				}
				if k == "admin_login" {
					break read
				}
			}
		case <-timeout:
			_ = cmd.Process.Kill()
			return fmt.Errorf("box-emulator printed no seed within 20s: %s", stderr.String())
		case <-ctx.Done():
			_ = cmd.Process.Kill()
			return ctx.Err()
		}
	}
	if url == "" || seed["file_id"] == "" {
		return fmt.Errorf("box-emulator did not start: %s", strings.TrimSpace(stderr.String()))
	}
	go func() { // keep draining stdout so the emulator never blocks
		for range lines {
		}
	}()
	e.mu.Lock()
	e.cmd, e.done, e.stderr = cmd, done, stderr
	e.URL = url
	e.addr = strings.TrimPrefix(url, "http://")
	e.FileID, e.FolderID = seed["file_id"], seed["folder_id"]
	e.mu.Unlock()
	return nil
}

// stop sends SIGTERM (the emulator saves -data on it) and waits.
func (e *emulator) stop() {
	e.mu.Lock()
	cmd, done := e.cmd, e.done
	e.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		_ = cmd.Process.Kill()
		<-done
	}
}

// restart stops the emulator and starts it again on the same address.
func (e *emulator) restart(ctx context.Context) error {
	e.stop()
	var err error
	for i := 0; i < 20; i++ { // the port may take a moment to free
		if err = e.start(ctx); err == nil {
			return nil
		}
		time.Sleep(250 * time.Millisecond)
	}
	return err
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
	ID         string `json:"id"`
	Status     string `json:"status"`
	ExternalID string `json:"external_id"`
	Signers    []struct {
		Email string `json:"email"`
		Role  string `json:"role"`
	} `json:"signers"`
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

// Credentials the emulator accepts by default.
const (
	devToken     = "dev-token"
	clientID     = "emulator-client-id"
	clientSecret = "emulator-client-secret"
	enterpriseID = "1000"
)

// serviceAccountToken gets a client-credentials token, to list the
// requests that a provider using CCG sent as the service account.
func (e *emulator) serviceAccountToken() (string, error) {
	form := url.Values{
		"grant_type": {"client_credentials"}, "client_id": {clientID}, "client_secret": {clientSecret},
		"box_subject_type": {"enterprise"}, "box_subject_id": {enterpriseID},
	}
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, e.URL+"/oauth2/token", strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := controlClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var out struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || out.AccessToken == "" {
		return "", errors.New("the emulator issued no service account token")
	}
	return out.AccessToken, nil
}
