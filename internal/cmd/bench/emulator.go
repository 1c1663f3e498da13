package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// emulator is a running bin/box-emulator in its own process group, so that
// stopping it (or a Ctrl-C) takes down everything it started.
type emulator struct {
	cmd      *exec.Cmd
	url      string
	fileID   string // the first seeded file: every sign request uses it
	folderID string
	userID   string // the seeded admin, the subject of the client-credentials grant
}

// startEmulator runs the emulator on a free port with the given extra flags
// and reads the address and seeded IDs it prints on stdout.
func startEmulator(ctx context.Context, path string, flags ...string) (*emulator, error) {
	args := append([]string{"-addr", "127.0.0.1:0", "-seed"}, flags...)
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Stderr = os.Stderr
	// Its own process group, killed when ctx ends (Ctrl-C) and if this
	// program dies without cleaning up: a benchmark must never leave an
	// emulator behind.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w (run `make build` first)", path, err)
	}
	e := &emulator{cmd: cmd}

	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	deadline := time.After(30 * time.Second)
	for e.url == "" || e.fileID == "" || e.folderID == "" || e.userID == "" {
		select {
		case line, ok := <-lines:
			if !ok {
				e.stop()
				return nil, errors.New("the emulator exited before printing its address and seed")
			}
			e.parseLine(line)
		case <-deadline:
			e.stop()
			return nil, errors.New("the emulator did not print its address and seed within 30s")
		}
	}
	go func() {
		for range lines { // keep draining so the emulator never blocks on stdout
		}
	}()
	return e, nil
}

func (e *emulator) parseLine(line string) {
	if u, ok := strings.CutPrefix(line, "box-emulator listening on "); ok {
		e.url = strings.TrimSpace(u)
		return
	}
	key, value, ok := strings.Cut(strings.TrimPrefix(line, "seed "), ":")
	if !ok || !strings.HasPrefix(line, "seed ") {
		return
	}
	value = strings.TrimSpace(value)
	switch key {
	case "file_id":
		if e.fileID == "" {
			e.fileID = value
		}
	case "folder_id":
		e.folderID = value
	case "admin_user_id":
		e.userID = value
	}
}

// stop ends the emulator's whole process group: SIGTERM, then SIGKILL if it
// has not exited within 5 seconds.
func (e *emulator) stop() {
	if e.cmd.Process == nil {
		return
	}
	pgid := e.cmd.Process.Pid
	_ = syscall.Kill(-pgid, syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = e.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		<-done
	}
}

// env is what the provider needs to reach this emulator: its address and
// client-credentials for the seeded admin, so that every Terraform command
// fetches a real token and the token requests can be counted.
func (e *emulator) env() []string {
	return []string{
		"BOX_API_BASE_URL=" + e.url,
		"BOX_CLIENT_ID=emulator-client-id",
		"BOX_CLIENT_SECRET=emulator-client-secret",
		"BOX_USER_ID=" + e.userID,
	}
}

// stats is the emulator's request count: route ("POST /2.0/sign_requests")
// to response status ("201", "429", "dropped") to count.
type stats map[string]map[string]int

// Routes the figures read.
const (
	routeCreate = "POST /2.0/sign_requests"
	routeGet    = "GET /2.0/sign_requests/{id}"
	routeCancel = "POST /2.0/sign_requests/{id}/cancel"
	routeOAuth  = "POST /oauth2/token"
)

func (e *emulator) stats(ctx context.Context) (stats, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, e.url+"/_emulator/stats", nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("reading the emulator's stats: %w", err)
	}
	defer resp.Body.Close()
	var out struct {
		Requests stats `json:"requests"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, fmt.Errorf("decoding the emulator's stats: %w", err)
	}
	return out.Requests, nil
}

// minus returns the requests counted since the snapshot old. Diffing
// snapshots, rather than POST /_emulator/reset, keeps the sign requests
// that the next command refreshes and destroys.
func (s stats) minus(old stats) stats {
	out := stats{}
	for route, byStatus := range s {
		for status, n := range byStatus {
			if d := n - old[route][status]; d != 0 {
				if out[route] == nil {
					out[route] = map[string]int{}
				}
				out[route][status] = d
			}
		}
	}
	return out
}

// add accumulates other into s (for several rounds).
func (s stats) add(other stats) {
	for route, byStatus := range other {
		if s[route] == nil {
			s[route] = map[string]int{}
		}
		for status, n := range byStatus {
			s[route][status] += n
		}
	}
}

// calls counts the requests to route, whatever their answer.
func (s stats) calls(route string) int {
	n := 0
	for _, c := range s[route] {
		n += c
	}
	return n
}

// answered counts the requests to route that got status.
func (s stats) answered(route, status string) int { return s[route][status] }

// others counts the requests to routes not in known.
func (s stats) others(known ...string) int {
	n := 0
	for route := range s {
		isKnown := false
		for _, k := range known {
			isKnown = isKnown || route == k
		}
		if !isKnown {
			n += s.calls(route)
		}
	}
	return n
}
