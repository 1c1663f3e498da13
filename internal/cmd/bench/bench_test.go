package main

import (
	"math"
	"os"
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

func TestEmulatorParseLine(t *testing.T) {
	e := &emulator{}
	for _, line := range []string{
		"box-emulator listening on http://127.0.0.1:40123",
		"seed folder_id: 1000000000",
		"seed file_id: 1000000001",
		"seed file_id: 1000000003",
		"seed admin_user_id: 11446498",
		"unrelated: line",
	} {
		e.parseLine(line)
	}
	if e.url != "http://127.0.0.1:40123" || e.folderID != "1000000000" || e.fileID != "1000000001" || e.userID != "11446498" {
		t.Errorf("parsed %+v", e)
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
