package emulatorproc

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// StartTimeout bounds how long Start waits for the startup lines: the one
// timeout of every launcher (a cold binary on a busy 2-core machine takes a
// few seconds at most).
const StartTimeout = 30 * time.Second

// startTimeout is StartTimeout; tests shorten it.
var startTimeout = StartTimeout

// stopTimeout is how long Stop waits after SIGTERM (the emulator shuts its
// server down within 5 s and saves -data) before it sends SIGKILL.
const stopTimeout = 10 * time.Second

// Options says how to start the emulator.
type Options struct {
	Bin  string // path of the box-emulator binary
	Addr string // listen address; "" means 127.0.0.1:0 (a free port)
	// ConversionDelay is always passed as -conversion-delay, so that what a
	// caller measures or shows never depends on the emulator's default.
	ConversionDelay time.Duration
	Args            []string  // more flags, such as -latency 1s
	Need            []string  // seed keys to wait for, besides the address
	Stderr          io.Writer // also receives the emulator's stderr; may be nil
}

// args is the emulator's command line: always -seed, since every caller
// needs the seeded folder and files.
func (o Options) args() []string {
	addr := o.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	return append([]string{"-addr", addr, "-seed", "-conversion-delay", o.ConversionDelay.String()}, o.Args...)
}

// Process is a running emulator.
type Process struct {
	Startup

	cmd    *exec.Cmd
	done   chan struct{} // closed once the process is reaped
	stderr *tailBuffer
	once   sync.Once
}

// Start runs the emulator in its own process group, killed if this
// program dies first (so no emulator is ever left behind) and sent SIGTERM
// when ctx ends. It returns once the listening line and every seed key in
// o.Need are printed, or fails after StartTimeout.
func Start(ctx context.Context, o Options) (*Process, error) {
	cmd := exec.CommandContext(ctx, o.Bin, o.args()...) //nolint:gosec // the emulator binary the developer built, with our own flags
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM) }
	cmd.WaitDelay = stopTimeout
	p := &Process{cmd: cmd, done: make(chan struct{}), stderr: &tailBuffer{max: 4096}}
	cmd.Stderr = p.stderr
	if o.Stderr != nil {
		cmd.Stderr = io.MultiWriter(p.stderr, o.Stderr)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w (run `make build` first)", o.Bin, err)
	}
	lines := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		_ = cmd.Wait() // only once stdout is read to the end, as Wait requires
		close(p.done)
	}()
	err = p.readStartup(ctx, lines, o.Need)
	go func() {
		for range lines { // keep draining so the emulator never blocks on stdout
		}
	}()
	if err != nil {
		p.Stop()
		return nil, err
	}
	return p, nil
}

func (p *Process) readStartup(ctx context.Context, lines <-chan string, need []string) error {
	timeout := time.NewTimer(startTimeout)
	defer timeout.Stop()
	for len(p.Missing(need)) > 0 {
		select {
		case line, ok := <-lines:
			if !ok {
				return fmt.Errorf("box-emulator exited before printing its %s: %s",
					strings.Join(p.Missing(need), ", "), p.stderr.String())
			}
			p.ParseLine(line)
		case <-timeout.C:
			return fmt.Errorf("box-emulator did not print its %s within %s: %s",
				strings.Join(p.Missing(need), ", "), startTimeout, p.stderr.String())
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// Stop ends the emulator's process group: SIGTERM, which makes it save
// -data, then SIGKILL if it has not exited within stopTimeout. It is safe
// to call more than once.
func (p *Process) Stop() {
	p.once.Do(func() {
		pgid := p.cmd.Process.Pid
		_ = syscall.Kill(-pgid, syscall.SIGTERM)
		select {
		case <-p.done:
		case <-time.After(stopTimeout):
			_ = syscall.Kill(-pgid, syscall.SIGKILL)
			<-p.done
		}
	})
}

// Exited reports whether the process has ended (and been reaped).
func (p *Process) Exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// Stderr is the end of what the emulator wrote on stderr.
func (p *Process) Stderr() string { return p.stderr.String() }

// Restart stops the emulator and starts it again with o on the same
// address, retrying for a few seconds while the port frees up.
func (p *Process) Restart(ctx context.Context, o Options) (*Process, error) {
	p.Stop()
	o.Addr = p.Addr()
	var err error
	for range 20 {
		var next *Process
		if next, err = Start(ctx, o); err == nil {
			return next, nil
		}
		if ctx.Err() != nil {
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	return nil, err
}

// tailBuffer keeps the last max bytes written, for error messages.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	buf bytes.Buffer
}

func (t *tailBuffer) Write(b []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf.Write(b)
	if extra := t.buf.Len() - t.max; extra > 0 {
		t.buf.Next(extra)
	}
	return len(b), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.TrimSpace(t.buf.String())
}
