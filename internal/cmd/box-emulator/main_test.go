package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildCommand compiles the command once per test binary run.
func buildCommand(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "box-emulator")
	cmd := exec.CommandContext(t.Context(), "go", "build", "-o", bin, ".")
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("go build: %v", err)
	}
	return bin
}

// runCommand starts the command with its stdout piped and its stderr on
// the test's; the command is killed when the test ends (on success it has
// usually exited by then, and Kill only reports that).
func runCommand(t *testing.T, bin string, args ...string) (*exec.Cmd, io.Reader) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), bin, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	return cmd, stdout
}

func TestCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the command")
	}
	bin := buildCommand(t)
	data := filepath.Join(t.TempDir(), "state.json")

	cmd, stdout := runCommand(t, bin, "-addr", "127.0.0.1:0", "-seed", "-data", data)
	sc := bufio.NewScanner(stdout)
	if !sc.Scan() {
		t.Fatal("no output")
	}
	first := sc.Text()
	base, ok := strings.CutPrefix(first, "box-emulator listening on ")
	if !ok || !strings.HasPrefix(base, "http://127.0.0.1:") || strings.HasSuffix(base, ":0") {
		t.Fatalf("first line %q", first)
	}
	seed := map[string][]string{}
	for i := 0; i < 10 && sc.Scan(); i++ {
		k, v, ok := strings.Cut(strings.TrimPrefix(sc.Text(), "seed "), ": ")
		if !ok {
			t.Fatalf("seed line %q", sc.Text())
		}
		seed[k] = append(seed[k], v)
	}
	if len(seed["folder_id"]) != 1 || len(seed["file_id"]) != 2 || len(seed["template_id"]) != 3 || len(seed["admin_user_id"]) != 1 ||
		len(seed["service_account_id"]) != 1 || len(seed["service_account_login"]) != 1 ||
		!strings.HasPrefix(seed["service_account_login"][0], "AutomationUser_") {
		t.Fatalf("seed lines %v", seed)
	}
	// Drain the rest of stdout so the command never blocks writing it; the
	// copy ends with an error or EOF when the command exits.
	go func() { _, _ = io.Copy(io.Discard, stdout) }()

	form := url.Values{
		"grant_type": {"client_credentials"}, "client_id": {"emulator-client-id"},
		"client_secret": {"emulator-client-secret"}, "box_subject_type": {"enterprise"}, "box_subject_id": {"1000"},
	}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, base+"/oauth2/token", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var tok map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	if resp.StatusCode != 200 || tok["access_token"] == "" {
		t.Fatalf("token: %d %v", resp.StatusCode, tok)
	}
	req, err = http.NewRequestWithContext(t.Context(), http.MethodGet, base+"/2.0/folders/"+seed["folder_id"][0], nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tok["access_token"].(string))
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("the service account cannot reach the seed folder: %d", resp.StatusCode)
	}
	// The command's default -conversion-delay shows "converting" first.
	body := `{"signers":[{"email":"s@example.com"}],"source_files":[{"type":"file","id":"` + seed["file_id"][0] + `"}]}`
	req, err = http.NewRequestWithContext(t.Context(), http.MethodPost, base+"/2.0/sign_requests", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tok["access_token"].(string))
	req.Header.Set("Content-Type", "application/json")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var sr map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&sr)
	resp.Body.Close()
	if resp.StatusCode != 201 || sr["status"] != "converting" || sr["sender_email"] != seed["service_account_login"][0] {
		t.Fatalf("sign request as the service account: %d %v %v", resp.StatusCode, sr["status"], sr["sender_email"])
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no exit after SIGTERM")
	}
	b, err := os.ReadFile(data)
	if err != nil || !strings.Contains(string(b), tok["access_token"].(string)) {
		t.Fatalf("state not saved with the token: %v", err)
	}

	// Bad flags: usage and exit 2.
	for _, args := range [][]string{{"-no-such-flag"}, {"-rate-limit", "x"}, {"extra"}, {"-developer-token-ttl", "0"}, {"-as-user=maybe"}} {
		out, err := exec.CommandContext(t.Context(), bin, args...).CombinedOutput()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 2 || !strings.Contains(string(out), "Usage") {
			t.Errorf("%v: %v %s", args, err, out)
		}
	}
}
