// Command demo runs the offline demo behind `make demo`: it starts the Box
// API emulator, applies examples/demo with the locally built provider, acts
// as both signers (a password, then an SMS code), shows the request signed,
// destroys it and cleans up. It talks to the emulator over HTTP only, as any
// user could with curl.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

func main() {
	bin := flag.String("bin", "bin", "folder holding terraform-provider-box and box-emulator")
	tf := flag.String("terraform", "terraform", "terraform (or tofu) binary to run")
	example := flag.String("example", "examples/demo", "the configuration to apply")
	flag.Parse()
	if err := run(*bin, *tf, *example); err != nil {
		fmt.Fprintln(os.Stderr, "\ndemo failed:", err)
		os.Exit(1)
	}
}

func say(format string, args ...any) {
	fmt.Printf("\n==> "+format+"\n", args...)
}

func run(bin, tf, example string) error {
	tfPath, err := exec.LookPath(tf)
	if err != nil {
		return fmt.Errorf("%s is not installed or not on PATH; install Terraform 1.11 or later (the demo never downloads it)", tf)
	}
	// A relative path (-terraform .cache/tofu/v1.12.6/tofu) would otherwise
	// be resolved from the temporary working folder the commands run in.
	if tfPath, err = filepath.Abs(tfPath); err != nil {
		return err
	}
	bin, err = filepath.Abs(bin)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	tmp, err := os.MkdirTemp("", "box-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	say("Starting the Box API emulator (a local stand-in for api.box.com) with a demo folder and PDF")
	emu, err := startEmulator(ctx, filepath.Join(bin, "box-emulator"))
	if err != nil {
		return err
	}
	defer emu.stop()
	fmt.Printf("    emulator at %s; demo file %s in folder %s\n", emu.url, emu.seed["file_id"], emu.seed["folder_id"])

	// dev_overrides makes terraform use the provider we just built instead
	// of downloading one; the config lives in the temporary folder, never
	// in the user's home. OpenTofu reads the source "box/box" as
	// registry.opentofu.org/box/box, so both addresses are overridden.
	cliConfig := filepath.Join(tmp, "terraformrc")
	if err := os.WriteFile(cliConfig, []byte(fmt.Sprintf(`provider_installation {
  dev_overrides {
    "registry.terraform.io/box/box" = %[1]q
    "registry.opentofu.org/box/box" = %[1]q
  }
  direct {}
}
`, bin)), 0o600); err != nil {
		return err
	}
	work := filepath.Join(tmp, "work")
	if err := copyDir(example, work); err != nil {
		return err
	}
	env := append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+cliConfig,
		"TF_IN_AUTOMATION=1",
		"TF_INPUT=0",
		"CHECKPOINT_DISABLE=1",
		"BOX_API_BASE_URL="+emu.url,
		"BOX_ACCESS_TOKEN=dev-token",
		"TF_VAR_file_id="+emu.seed["file_id"],
		"TF_VAR_folder_id="+emu.seed["folder_id"],
	)
	terraform := func(args ...string) error {
		fmt.Printf("    $ %s %s\n", filepath.Base(tf), strings.Join(args, " "))
		cmd := exec.CommandContext(ctx, tfPath, args...)
		cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = work, env, os.Stdout, os.Stderr
		return cmd.Run()
	}

	say("Skipping terraform init: the CLI config's dev_overrides point Terraform at the provider just built, so there is nothing to install")

	say("Creating the sign request: Alice must type a password, Bob must confirm an SMS code before he can see the document")
	if err := terraform("apply", "-auto-approve", "-no-color"); err != nil {
		return fmt.Errorf("terraform apply: %w", err)
	}
	id, err := output(ctx, tfPath, work, env, "id")
	if err != nil {
		return err
	}

	say("Alice opens the document: a wrong password is refused, the right one lets her in, and she signs")
	if err := emu.expect("alice@example.com", id, "open", map[string]any{"password": "guess"}, 403); err != nil {
		return err
	}
	if err := emu.expect("alice@example.com", id, "open", map[string]any{"password": "correct-horse-battery"}, 200); err != nil {
		return err
	}
	if err := emu.expect("alice@example.com", id, "sign", nil, 200); err != nil {
		return err
	}

	say("Bob opens the document: Box texts him a code first, a wrong code is refused, the right one lets him in, and he signs")
	if err := emu.expect("bob@example.com", id, "open", nil, 403); err != nil {
		return err
	}
	code, err := emu.lastSMS(id)
	if err != nil {
		return err
	}
	fmt.Printf("    the emulator 'sent' SMS code %s to Bob's phone\n", code)
	if err := emu.expect("bob@example.com", id, "open", map[string]any{"sms_code": "000000"}, 403); err != nil {
		return err
	}
	if err := emu.expect("bob@example.com", id, "open", map[string]any{"sms_code": code}, 200); err != nil {
		return err
	}
	if err := emu.expect("bob@example.com", id, "sign", nil, 200); err != nil {
		return err
	}

	say("Refreshing: Terraform sees the request signed, with no change to plan")
	if err := terraform("apply", "-refresh-only", "-auto-approve", "-no-color"); err != nil {
		return fmt.Errorf("terraform apply -refresh-only: %w", err)
	}
	status, err := output(ctx, tfPath, work, env, "status")
	if err != nil {
		return err
	}
	if status != "signed" {
		return fmt.Errorf("the request is %q after both signers signed, want signed", status)
	}
	fmt.Printf("    status: %s\n", status)

	say("Destroying: a signed request cannot be cancelled, so Terraform warns and forgets it; Box keeps the signed PDF")
	if err := terraform("destroy", "-auto-approve", "-no-color"); err != nil {
		return fmt.Errorf("terraform destroy: %w", err)
	}

	say("Done: the emulator is stopped and the temporary files are removed")
	return nil
}

func output(ctx context.Context, tf, dir string, env []string, name string) (string, error) {
	cmd := exec.CommandContext(ctx, tf, "output", "-raw", name)
	cmd.Dir, cmd.Env, cmd.Stderr = dir, env, os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("terraform output %s: %w", name, err)
	}
	return strings.TrimSpace(string(out)), nil
}

type emulatorProcess struct {
	cmd  *exec.Cmd
	url  string
	seed map[string]string
}

// startEmulator runs the emulator on a free port and reads its first lines:
// where it listens, then the seeded IDs.
func startEmulator(ctx context.Context, path string) (*emulatorProcess, error) {
	cmd := exec.CommandContext(ctx, path, "-addr", "127.0.0.1:0", "-seed")
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", path, err)
	}
	e := &emulatorProcess{cmd: cmd, seed: map[string]string{}}
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	deadline := time.After(30 * time.Second)
	for e.url == "" || e.seed["file_id"] == "" || e.seed["folder_id"] == "" {
		select {
		case line, ok := <-lines:
			if !ok {
				e.stop()
				return nil, errors.New("the emulator exited before it was ready")
			}
			if u, found := strings.CutPrefix(line, "box-emulator listening on "); found {
				e.url = u
			}
			if kv, found := strings.CutPrefix(line, "seed "); found {
				if k, v, ok := strings.Cut(kv, ":"); ok {
					if _, seen := e.seed[k]; !seen {
						e.seed[k] = strings.TrimSpace(v)
					}
				}
			}
		case <-deadline:
			e.stop()
			return nil, errors.New("the emulator did not report its address and seed within 30s")
		}
	}
	go func() {
		for range lines { // keep draining so the emulator never blocks on stdout
		}
	}()
	return e, nil
}

func (e *emulatorProcess) stop() {
	if e.cmd.Process == nil {
		return
	}
	_ = e.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = e.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = e.cmd.Process.Kill()
	}
}

// expect acts as a signer and checks the emulator's answer.
func (e *emulatorProcess) expect(email, id, action string, body map[string]any, want int) error {
	if body == nil {
		body = map[string]any{}
	}
	b, _ := json.Marshal(body)
	url := fmt.Sprintf("%s/_emulator/sign_requests/%s/signers/%s/%s", e.url, id, email, action)
	resp, err := http.Post(url, "application/json", bytes.NewReader(b)) //nolint:noctx // a local demo call
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var out struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	}
	raw, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(raw, &out)
	verdict := "accepted"
	if resp.StatusCode >= 300 {
		verdict = fmt.Sprintf("refused (%d %s)", resp.StatusCode, out.Code)
	}
	fmt.Printf("    %s %s: %s\n", email, action, verdict)
	if resp.StatusCode != want {
		return fmt.Errorf("%s %s: got HTTP %d, want %d: %s", email, action, resp.StatusCode, want, raw)
	}
	return nil
}

func (e *emulatorProcess) lastSMS(id string) (string, error) {
	resp, err := http.Get(e.url + "/_emulator/sms") //nolint:noctx // a local demo call
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var out struct {
		Entries []struct {
			Code          string `json:"code"`
			SignRequestID string `json:"sign_request_id"`
		} `json:"entries"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return "", err
	}
	code := ""
	for _, en := range out.Entries {
		if en.SignRequestID == id {
			code = en.Code
		}
	}
	if code == "" {
		return "", errors.New("the emulator sent no SMS code")
	}
	return code, nil
}

func copyDir(src, dst string) error {
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	entries, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	for _, en := range entries {
		if en.IsDir() || !strings.HasSuffix(en.Name(), ".tf") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, en.Name()))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dst, en.Name()), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}
