package reliability

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// workspace is a folder holding one Terraform configuration, run with the
// locally built provider through dev_overrides. There is no `terraform
// init`: with dev_overrides it is neither needed nor able to succeed.
type workspace struct {
	dir string
	tf  string
	env []string
}

// newWorkspace makes dir with a CLI config pointing box/box at bin. env
// adds variables; the runner's own BOX_* and TF_* variables are dropped so
// that a scenario sees only what it sets.
func newWorkspace(dir, tf, bin string, env ...string) (*workspace, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	rc := filepath.Join(dir, "terraformrc")
	cli := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"registry.terraform.io/box/box\" = %q\n  }\n  direct {}\n}\n", bin)
	if err := os.WriteFile(rc, []byte(cli), 0o600); err != nil {
		return nil, err
	}
	var base []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "BOX_") || strings.HasPrefix(kv, "TF_") {
			continue
		}
		base = append(base, kv)
	}
	base = append(base, "TF_CLI_CONFIG_FILE="+rc, "TF_IN_AUTOMATION=1", "TF_INPUT=0", "CHECKPOINT_DISABLE=1")
	return &workspace{dir: dir, tf: tf, env: append(base, env...)}, nil
}

// terraformBlock makes terraform resolve "box" to box/box, which
// dev_overrides then points at the local build.
const terraformBlock = "terraform {\n  required_providers {\n    box = { source = \"box/box\" }\n  }\n}\n"

func (w *workspace) write(config string) error {
	return os.WriteFile(filepath.Join(w.dir, "main.tf"), []byte(terraformBlock+config), 0o600)
}

// tfResult is one terraform command's outcome.
type tfResult struct {
	out      string // stdout and stderr together
	code     int
	duration time.Duration
}

func (r tfResult) ok() bool { return r.code == 0 }

// run runs terraform with args (plus -no-color) and waits.
func (w *workspace) run(ctx context.Context, args ...string) tfResult {
	p := w.start(ctx, args...)
	return p.wait()
}

// tfProcess is a terraform command running in the background.
type tfProcess struct {
	cmd   *exec.Cmd
	out   *syncBuffer
	start time.Time
	err   error
}

func (w *workspace) start(ctx context.Context, args ...string) *tfProcess {
	args = append(args, "-no-color")
	cmd := exec.CommandContext(ctx, w.tf, args...)
	cmd.Dir, cmd.Env = w.dir, w.env
	buf := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = buf, buf
	// Only the SIGINT we send should reach terraform, not the runner's
	// own Ctrl-C: each scenario stops its terraform itself.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.WaitDelay = 10 * time.Second
	p := &tfProcess{cmd: cmd, out: buf, start: time.Now()}
	p.err = cmd.Start()
	return p
}

func (p *tfProcess) interrupt() error { return p.cmd.Process.Signal(os.Interrupt) }

// signalGroup sends sig to terraform's process group: terraform and the
// provider processes it started, as a terminal's Ctrl-C or a CI runner's
// kill reaches them all.
func (p *tfProcess) signalGroup(sig syscall.Signal) error {
	return syscall.Kill(-p.cmd.Process.Pid, sig)
}

func (p *tfProcess) wait() tfResult {
	if p.err != nil {
		return tfResult{out: p.err.Error(), code: -1}
	}
	err := p.cmd.Wait()
	code := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		code = -1
	}
	return tfResult{out: p.out.String(), code: code, duration: time.Since(p.start)}
}

// stateIDs reads terraform.tfstate: resource address → sign request ID.
func (w *workspace) stateIDs() (map[string]string, error) {
	objs, err := w.stateObjects()
	if err != nil {
		return nil, err
	}
	ids := map[string]string{}
	for _, o := range objs {
		addr := o.addr
		if o.deposed != "" {
			addr += " (deposed " + o.deposed + ")"
		}
		ids[addr] = o.id
	}
	return ids, nil
}

// stateObject is one box_sign_request object in the state: an instance's
// current object or one a create_before_destroy replacement deposed.
type stateObject struct {
	addr    string // with the instance key: box_sign_request.r01, box_sign_request.g01[2]
	id      string
	deposed string // the deposed key, empty for a current object
}

// stateObjects reads every box_sign_request object of terraform.tfstate,
// deposed ones included: a deposed object is a request the state still
// tracks (the next apply cancels it).
func (w *workspace) stateObjects() ([]stateObject, error) {
	b, err := os.ReadFile(filepath.Join(w.dir, "terraform.tfstate"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var st struct {
		Resources []struct {
			Mode      string `json:"mode"`
			Type      string `json:"type"`
			Name      string `json:"name"`
			Instances []struct {
				IndexKey   any    `json:"index_key"`
				Deposed    string `json:"deposed"`
				Attributes struct {
					ID string `json:"id"`
				} `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(b, &st); err != nil {
		return nil, fmt.Errorf("reading the state: %w", err)
	}
	var objs []stateObject
	for _, r := range st.Resources {
		if r.Mode != "managed" || r.Type != "box_sign_request" {
			continue
		}
		for _, in := range r.Instances {
			addr := r.Type + "." + r.Name
			switch k := in.IndexKey.(type) {
			case float64:
				addr += fmt.Sprintf("[%d]", int(k))
			case string:
				addr += fmt.Sprintf("[%q]", k)
			}
			objs = append(objs, stateObject{addr: addr, id: in.Attributes.ID, deposed: in.Deposed})
		}
	}
	return objs, nil
}

// syncBuffer is a bytes.Buffer safe to read while a process writes it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
