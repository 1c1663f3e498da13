package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// procStats is what the provider processes of one Terraform command used,
// as polling saw them. Terraform starts a provider process per graph walk
// (an apply has a plan walk and an apply walk), so the peak is the largest
// of them. The CPU time is their sum up to each one's last sample, a lower
// bound that only checks the exact figure of cpuSplit.
type procStats struct {
	processes int
	peakRSSKB int64         // the largest VmHWM seen
	cpu       time.Duration // user + system time, up to the last sample
}

// procWatch polls /proc for the children of one Terraform process that run
// a given provider binary. Polling only sees what the kernel reports while
// a process lives; VmHWM is a high-water mark, so a sample shortly before
// the process exits already holds its peak.
type procWatch struct {
	parent int
	exe    string
	done   chan struct{}
	wg     sync.WaitGroup

	mu    sync.Mutex
	peak  int64
	ticks map[int]int64 // pid to its latest utime+stime, in clock ticks
}

func watchChildren(parent int, exe string, every time.Duration) *procWatch {
	if resolved, err := filepath.EvalSymlinks(exe); err == nil {
		exe = resolved
	}
	w := &procWatch{parent: parent, exe: exe, done: make(chan struct{}), ticks: map[int]int64{}}
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			w.sample()
			select {
			case <-w.done:
				return
			case <-t.C:
			}
		}
	}()
	return w
}

// stop ends the polling and returns what it saw.
func (w *procWatch) stop() procStats {
	close(w.done)
	w.wg.Wait()
	w.mu.Lock()
	defer w.mu.Unlock()
	var total int64
	for _, t := range w.ticks {
		total += t
	}
	return procStats{processes: len(w.ticks), peakRSSKB: w.peak, cpu: ticksToDuration(total)}
}

func (w *procWatch) sample() {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return
	}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		ppid, ticks, ok := readStat(pid)
		if !ok || ppid != w.parent {
			continue
		}
		exe, err := os.Readlink("/proc/" + e.Name() + "/exe")
		if err != nil || strings.TrimSuffix(exe, " (deleted)") != w.exe {
			continue
		}
		hwm := readVmHWM(pid)
		w.mu.Lock()
		w.ticks[pid] = ticks
		w.peak = max(w.peak, hwm)
		w.mu.Unlock()
	}
}

// readStat reads a process's parent and its CPU time (utime + stime,
// fields 14 and 15 of /proc/PID/stat).
func readStat(pid int) (ppid int, ticks int64, ok bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, 0, false
	}
	f, err := statFields(string(b))
	if err != nil {
		return 0, 0, false
	}
	ppid, err1 := strconv.Atoi(f[1])
	utime, err2 := strconv.ParseInt(f[11], 10, 64)
	stime, err3 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil {
		return 0, 0, false
	}
	return ppid, utime + stime, true
}

// readVmHWM returns the process's peak resident set size in KiB.
func readVmHWM(pid int) int64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb
		}
	}
	return 0
}

// ticksToDuration converts clock ticks; Linux reports them at USER_HZ,
// which is 100 on every architecture Go supports.
func ticksToDuration(ticks int64) time.Duration {
	return time.Duration(ticks) * (time.Second / 100)
}
