package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// The three kinds of resource the benchmark compares. Each creates N
// resources that differ only by a unique signer email (count.index), so
// the box client never serialises two creates that look alike.
const (
	kindBox  = "box_sign_request"
	kindTime = "time_static"
	kindData = "terraform_data"

	// latencyBox names the box resources against the emulator with latency.
	latencyBox = "box_sign_request (latency)"
)

// config returns the main.tf of a workspace holding n resources of kind.
// The box provider reads its settings from the environment (BOX_*).
func config(kind string, n int, emu *emulator) string {
	switch kind {
	case kindBox:
		return fmt.Sprintf(`terraform {
  required_providers {
    box = { source = "box/box" }
  }
}

provider "box" {}

resource "box_sign_request" "bench" {
  count            = %d
  source_file_ids  = [%q]
  parent_folder_id = %q

  signer {
    email = "signer-${count.index}@example.com"
  }
}
`, n, emu.fileID, emu.folderID)
	case kindTime:
		return fmt.Sprintf(`terraform {
  required_providers {
    time = { source = "hashicorp/time" }
  }
}

resource "time_static" "bench" {
  count    = %d
  triggers = { email = "signer-${count.index}@example.com" }
}
`, n)
	case kindData:
		return fmt.Sprintf(`resource "terraform_data" "bench" {
  count = %d
  input = "signer-${count.index}@example.com"
}
`, n)
	}
	panic("unknown kind " + kind)
}

// cliConfig points Terraform at the providers built for the benchmark, so
// nothing is installed and no `terraform init` is needed.
func cliConfig(boxDir, timeDir string) string {
	return fmt.Sprintf(`provider_installation {
  dev_overrides {
    "registry.terraform.io/box/box"        = %q
    "registry.terraform.io/hashicorp/time" = %q
  }
  direct {}
}
`, boxDir, timeDir)
}

// workspace is one Terraform working directory with its own state.
type workspace struct {
	name string // what the table calls it
	kind string
	dir  string
	env  []string // the provider's environment (the emulator's address)
}

func newWorkspace(root, name, kind string, n int, emu *emulator) (*workspace, error) {
	dir := filepath.Join(root, strings.NewReplacer(" ", "-", "(", "", ")", "").Replace(name))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config(kind, n, emu)), 0o644); err != nil {
		return nil, err
	}
	return &workspace{name: name, kind: kind, dir: dir, env: emu.env()}, nil
}

// terraform runs terraform commands with a fixed environment.
type terraform struct {
	path        string
	parallelism int
	baseEnv     []string
	providers   map[string]string // kind to the provider binary whose process to watch
}

// phaseArgs are the commands measured: apply, a second plan (which
// refreshes every resource) and destroy.
func (tf *terraform) phaseArgs(phase string) []string {
	p := "-parallelism=" + strconv.Itoa(tf.parallelism)
	switch phase {
	case "apply":
		return []string{"apply", "-auto-approve", "-input=false", "-no-color", p}
	case "plan":
		// -detailed-exitcode: a plan right after an apply must be empty.
		return []string{"plan", "-detailed-exitcode", "-input=false", "-no-color", p}
	case "destroy":
		return []string{"destroy", "-auto-approve", "-input=false", "-no-color", p}
	case "validate":
		// Not measured: it loads terraform and the provider once so that the
		// first measured command does not pay for a cold disk cache.
		return []string{"validate", "-no-color"}
	}
	panic("unknown phase " + phase)
}

// run runs one phase in ws and returns its wall time, its CPU split and
// what polling saw of the provider processes meanwhile. The output goes to
// a log in the workspace; its tail is shown when the command fails.
//
// With wrap (a command line that runs terraform, such as perf record), the
// CPU split is the wrapper's: its own time as core, and terraform's with
// everything terraform started as providers; the caller splits that.
func (tf *terraform) run(ctx context.Context, ws *workspace, phase string, wrap ...string) (measured, error) {
	logPath := filepath.Join(ws.dir, phase+".log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return measured{}, err
	}
	defer logFile.Close()
	cmd := tf.command(ctx, ws, phase, logFile, wrap...)

	start := time.Now()
	if err := cmd.Start(); err != nil {
		return measured{}, fmt.Errorf("starting %s: %w", tf.path, err)
	}
	var watch *procWatch
	if exe := tf.providers[ws.kind]; exe != "" && len(wrap) == 0 {
		watch = watchChildren(cmd.Process.Pid, exe, 50*time.Millisecond)
	}
	var m measured
	cpuErr := waitExited(cmd.Process.Pid)
	m.wall = time.Since(start)
	if cpuErr == nil {
		m.cpu, cpuErr = readCPUSplit(cmd.Process.Pid)
	}
	waitErr := cmd.Wait()
	if watch != nil {
		m.procs = watch.stop()
	}
	if ctx.Err() != nil {
		return m, ctx.Err()
	}
	var exitErr *exec.ExitError
	switch {
	case phase == "plan" && errors.As(waitErr, &exitErr) && exitErr.ExitCode() == 2:
		// The log goes with the temporary folder: show its end now.
		return m, fmt.Errorf("terraform plan of %s found changes right after an apply:\n%s", ws.name, tail(logPath, 30))
	case waitErr != nil:
		return m, fmt.Errorf("terraform %s of %s failed: %w\n%s", phase, ws.name, waitErr, tail(logPath, 30))
	case cpuErr != nil:
		return m, fmt.Errorf("reading the CPU time of terraform %s: %w", phase, cpuErr)
	}
	return m, nil
}

// measured is what one Terraform command cost.
type measured struct {
	wall  time.Duration
	cpu   cpuSplit
	procs procStats
}

// command is the terraform command of one phase in ws, logging to log.
// Terraform and the providers it launches get their own process group, so
// that an interrupted benchmark (ctx done) ends all of them at once.
func (tf *terraform) command(ctx context.Context, ws *workspace, phase string, log *os.File, wrap ...string) *exec.Cmd {
	argv := append(append(append([]string(nil), wrap...), tf.path), tf.phaseArgs(phase)...)
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir = ws.dir
	cmd.Env = append(append([]string(nil), tf.baseEnv...), ws.env...)
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	return cmd
}

// tail returns the last n lines of a file, to explain a failure.
func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// cleanEnv is this process's environment without TF_* and BOX_* variables,
// so a developer's own settings (TF_LOG, TF_CLI_CONFIG_FILE, a Box token)
// cannot change what is measured.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "TF_") || strings.HasPrefix(kv, "BOX_") || strings.HasPrefix(kv, "CHECKPOINT_") {
			continue
		}
		env = append(env, kv)
	}
	return env
}
