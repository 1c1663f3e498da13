package main

import (
	"math"
	"os"
	"os/exec"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseNs(t *testing.T) {
	ns, err := parseNs(" 100, 500 20")
	if err != nil || len(ns) != 3 || ns[0] != 100 || ns[1] != 500 || ns[2] != 20 {
		t.Fatalf("parseNs = %v, %v", ns, err)
	}
	for _, bad := range []string{"", "  ", "0", "-5", "ten"} {
		if _, err := parseNs(bad); err == nil {
			t.Errorf("parseNs(%q) accepted", bad)
		}
	}
}

func TestStatsMinus(t *testing.T) {
	before := stats{routeCreate: {"201": 5}, routeOAuth: {"200": 1}}
	after := stats{routeCreate: {"201": 8, "429": 2}, routeOAuth: {"200": 1}, "GET /2.0/users/me": {"200": 1}}
	d := after.minus(before)
	if d.calls(routeCreate) != 5 || d.answered(routeCreate, "429") != 2 || d.calls(routeOAuth) != 0 {
		t.Errorf("diff %v", d)
	}
	if n := d.others(routeCreate, routeOAuth); n != 1 {
		t.Errorf("others = %d, want 1 (users/me)", n)
	}
}

// With a limit of 50 a minute, create 51 may go through only a minute
// after create 1: a provider that sends it 62 s after reached 60/62 of the
// limit, however long the batches themselves took to send.
func TestRateMeasure(t *testing.T) {
	s := func(sec float64, created, limited int) createSample {
		return createSample{at: time.Duration(sec * float64(time.Second)), created: created, limited: limited}
	}
	rr := rateResult{limit: 50}
	rr.measure([]createSample{s(1, 0, 0), s(2, 1, 0), s(6, 50, 1), s(64, 51, 1), s(90, 100, 1)}, 90*time.Second, nil)
	if math.Abs(rr.share-60.0/62) > 1e-9 || rr.created != 100 || rr.limited != 1 {
		t.Errorf("got %+v, want a share of 60/62, 100 created, 1 limited", rr)
	}

	never := rateResult{limit: 50}
	never.measure([]createSample{s(1, 100, 0)}, time.Second, nil)
	if never.share != 0 {
		t.Errorf("no 429 gave a share of %v, want 0 (limit not reached)", never.share)
	}
}

func TestReadStatOfThisProcess(t *testing.T) {
	ppid, _, ok := readStat(os.Getpid())
	if !ok || ppid != os.Getppid() {
		t.Errorf("readStat: ppid %d ok %v, want %d", ppid, ok, os.Getppid())
	}
	if readVmHWM(os.Getpid()) <= 0 {
		t.Error("readVmHWM of this process is 0")
	}
}

func TestStatTicks(t *testing.T) {
	// A command name with spaces and a ')' must not shift the fields.
	line := "4242 (terraform (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 150 25 7 3 20 0 12 0 100 0 0"
	got, err := statTicks(line)
	if err != nil || got != [4]int64{150, 25, 7, 3} {
		t.Errorf("statTicks = %v, %v; want [150 25 7 3]", got, err)
	}
	for name, bad := range map[string]string{"no name": "4242 S 1", "too short": "4242 (tf) S 1 2 3"} {
		t.Run(name, func(t *testing.T) {
			if _, err := statTicks(bad); err == nil {
				t.Errorf("statTicks(%q) accepted", bad)
			}
		})
	}
}

// A shell that burns CPU itself and then in a child: the split gives each
// part to its side, read from the exited, unreaped process; Wait still
// reaps it afterwards.
func TestCPUSplitOfAnExitedProcess(t *testing.T) {
	const burn = `i=0; while [ $i -lt 150000 ]; do i=$((i+1)); done`
	cmd := exec.CommandContext(t.Context(), "sh", "-c", burn+"; sh -c '"+burn+"'")
	if err := cmd.Start(); err != nil {
		t.Skip("no sh:", err)
	}
	if err := waitExited(cmd.Process.Pid); err != nil {
		t.Fatal(err)
	}
	split, err := readCPUSplit(cmd.Process.Pid)
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("Wait after waitExited: %v", err)
	}
	if split.core < 20*time.Millisecond || split.providers < 20*time.Millisecond {
		t.Errorf("split = %+v, want both the shell's own loop and its child's", split)
	}
	total := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	if diff := total - split.core - split.providers; diff < -30*time.Millisecond || diff > 30*time.Millisecond {
		t.Errorf("core %v + children %v differ from rusage's %v by %v", split.core, split.providers, total, diff)
	}
}

func TestParsePerfReport(t *testing.T) {
	const children = `# Samples: 21  of event 'cpu-clock'
#
# Children      Self  Symbol                                IPC   [IPC Coverage]
# ........  ........  ....................................  ....................
#
    61.20%     0.10%  [.] github.com/hashicorp/terraform-plugin-log/internal/logging.(*Logger).Trace     -      -
    23.81%    23.81%  [k] anon_pipe_write                   -      -
    19.05%     0.00%  [.] runtime.gcBgMarkWorker
#
`
	got := parsePerfReport(strings.NewReader(children), 2, func(string) bool { return false })
	want := []string{
		" 61.20%  github.com/hashicorp/terraform-plugin-log/internal/logging.(*Logger).Trace",
		" 23.81%  anon_pipe_write",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("parsePerfReport = %q, want %q", got, want)
	}
	const withPlumbing = `    90.00%     0.00%  [.] runtime.goexit.abi0      -      -
    70.00%     0.00%  [.] google.golang.org/grpc.(*Server).handleStream
    61.20%     0.10%  [.] github.com/hashicorp/terraform-plugin-log/tfsdklog.SubsystemTrace
`
	if got := parsePerfReport(strings.NewReader(withPlumbing), 5, isPlumbing); !reflect.DeepEqual(got,
		[]string{" 61.20%  github.com/hashicorp/terraform-plugin-log/tfsdklog.SubsystemTrace"}) {
		t.Errorf("without plumbing: %q, want only SubsystemTrace", got)
	}
	const self = "# Overhead  Symbol\n    28.57%  [.] runtime.mallocgc                     -      -\n"
	if got := parsePerfReport(strings.NewReader(self), 5, isPlumbing); !reflect.DeepEqual(got, []string{" 28.57%  runtime.mallocgc"}) {
		t.Errorf("self report: %q", got)
	}
}
