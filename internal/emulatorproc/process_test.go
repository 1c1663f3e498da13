package emulatorproc

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain lets this test binary stand in for box-emulator: with
// EMULATORPROC_FAKE set it prints what the mode says instead of testing.
func TestMain(m *testing.M) {
	if mode := os.Getenv("EMULATORPROC_FAKE"); mode != "" {
		os.Exit(fakeEmulator(mode))
	}
	os.Exit(m.Run())
}

func fakeEmulator(mode string) int {
	term := make(chan os.Signal, 1)
	signal.Notify(term, syscall.SIGTERM)
	switch mode {
	case "ready":
		fmt.Println("box-emulator listening on http://127.0.0.1:1")
		fmt.Println("args: " + strings.Join(os.Args[1:], " "))
		fmt.Println("seed folder_id: 100")
		fmt.Println("seed file_id: 101")
		fmt.Println("seed file_id: 102")
		fmt.Println("seed service_account_id: 300")
		// More output than a pipe holds: the launcher must keep draining.
		for i := 0; i < 20000; i++ {
			fmt.Println("some later line that nobody reads", i)
		}
	case "exits":
		fmt.Println("box-emulator listening on http://127.0.0.1:1")
		fmt.Fprintln(os.Stderr, "box-emulator: the seed failed")
		return 3
	case "silent":
	}
	<-term
	return 0
}

func fakeOptions(t *testing.T, mode string) Options {
	t.Setenv("EMULATORPROC_FAKE", mode)
	return Options{Bin: os.Args[0], Need: []string{"folder_id", "file_id", "service_account_id"}}
}

func TestStartReadsStartupLinesAndStops(t *testing.T) {
	p, err := Start(context.Background(), fakeOptions(t, "ready"))
	if err != nil {
		t.Fatal(err)
	}
	if p.URL != "http://127.0.0.1:1" || p.Seed.Get("folder_id") != "100" || p.Seed.Get("service_account_id") != "300" {
		t.Errorf("startup = %s", p.String())
	}
	// The fake exits on SIGTERM only once its 20,000 later lines are read:
	// a Stop that waits for SIGKILL means stdout was not drained.
	start := time.Now()
	p.Stop()
	if d := time.Since(start); d > stopTimeout/2 {
		t.Errorf("Stop took %s: the emulator's stdout was not drained", d)
	}
	if !p.Exited() {
		t.Error("the process is still running after Stop")
	}
	p.Stop() // a second Stop is harmless
}

// Every launch states the conversion delay, so that nothing depends on the
// emulator's default, and always seeds.
func TestArgsAlwaysSeedAndSetConversionDelay(t *testing.T) {
	cases := []struct {
		name string
		o    Options
		want string
	}{
		{"defaults", Options{}, "-addr 127.0.0.1:0 -seed -conversion-delay 0s"},
		{"demo delay and more flags", Options{Addr: "127.0.0.1:9", ConversionDelay: 3 * time.Second, Args: []string{"-latency", "1s"}},
			"-addr 127.0.0.1:9 -seed -conversion-delay 3s -latency 1s"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := strings.Join(c.o.args(), " "); got != c.want {
				t.Errorf("args = %q, want %q", got, c.want)
			}
		})
	}
}

func TestStartFailsWhenTheEmulatorExitsEarly(t *testing.T) {
	_, err := Start(context.Background(), fakeOptions(t, "exits"))
	if err == nil || !strings.Contains(err.Error(), "exited before printing its file_id, folder_id, service_account_id") ||
		!strings.Contains(err.Error(), "the seed failed") {
		t.Errorf("err = %v, want the missing keys and the emulator's stderr", err)
	}
}

func TestStartTimesOut(t *testing.T) {
	old := startTimeout
	startTimeout = 300 * time.Millisecond
	defer func() { startTimeout = old }()
	_, err := Start(context.Background(), fakeOptions(t, "silent"))
	if err == nil || !strings.Contains(err.Error(), "did not print its address, file_id") {
		t.Errorf("err = %v, want a timeout naming what is missing", err)
	}
}

func TestStartFailsForAMissingBinary(t *testing.T) {
	_, err := Start(context.Background(), Options{Bin: filepath.Join(t.TempDir(), "box-emulator")})
	if err == nil || !strings.Contains(err.Error(), "make build") {
		t.Errorf("err = %v, want a hint to build", err)
	}
}

// The real emulator, built from this module: its startup lines are the
// fixed interface the parser reads, and it accepts every flag the launcher
// passes. Restart keeps the address.
func TestRealEmulator(t *testing.T) {
	if testing.Short() {
		t.Skip("builds box-emulator")
	}
	bin := filepath.Join(t.TempDir(), "box-emulator")
	build := exec.CommandContext(t.Context(), "go", "build", "-o", bin, "github.com/box/terraform-provider-box/internal/cmd/box-emulator")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	o := Options{Bin: bin, Need: []string{"folder_id", "file_id", "admin_user_id", "admin_login"}, Args: []string{"-latency", "1ms"}}
	p, err := Start(t.Context(), o)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { p.Stop() }()
	if !strings.HasPrefix(p.URL, "http://127.0.0.1:") || len(p.Seed["file_id"]) < 1 {
		t.Fatalf("startup = %s", p.String())
	}
	get(t, p.URL+"/_emulator/stats")
	// The launcher's credentials are the ones the command accepts: the
	// service account gets a token, and it acts as the seeded service user.
	tok, err := ServiceAccountToken(t.Context(), p.URL)
	if err != nil {
		t.Fatal(err)
	}
	if login, _ := getJSON(t, p.URL+"/2.0/users/me", tok)["login"].(string); login == "" || login == p.Seed.Get("admin_login") {
		t.Errorf("the service account token acts as %q, want the service account", login)
	}
	addr := p.Addr()
	if p, err = p.Restart(t.Context(), o); err != nil {
		t.Fatal(err)
	}
	if p.Addr() != addr {
		t.Errorf("restarted on %s, want %s", p.Addr(), addr)
	}
	get(t, p.URL+"/_emulator/stats")
}

func get(t *testing.T, url string) {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", url, resp.StatusCode)
	}
}

func getJSON(t *testing.T, url, token string) map[string]any {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out := map[string]any{}
	if resp.StatusCode != http.StatusOK || json.NewDecoder(resp.Body).Decode(&out) != nil {
		t.Fatalf("GET %s: HTTP %d", url, resp.StatusCode)
	}
	return out
}
