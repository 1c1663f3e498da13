package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unsafe"
)

// cpuSplit is the CPU time (user + system) of one Terraform command:
// Terraform core's own, and that of the processes it started and reaped,
// which in a benchmark workspace are only its provider processes (one
// provider per workspace, so they are all box's or all time_static's).
type cpuSplit struct {
	core      time.Duration
	providers time.Duration
}

// Linux's waitid arguments (linux/wait.h), which package syscall lacks.
const (
	idTypePID  = 1         // P_PID
	waitNoWait = 0x1000000 // WNOWAIT: leave the child waitable
)

// waitExited blocks until process pid has exited but leaves it unreaped,
// a zombie whose /proc/PID/stat still holds its final CPU times. Reading
// them there measures Terraform without changing it: no wrapper, no
// tracing, no polling that misses the last moments of a process.
func waitExited(pid int) error {
	var info [128]byte // siginfo_t
	for {
		_, _, errno := syscall.Syscall6(syscall.SYS_WAITID, idTypePID, uintptr(pid),
			uintptr(unsafe.Pointer(&info[0])), syscall.WEXITED|waitNoWait, 0, 0) //nolint:gosec // waitid writes the siginfo into this buffer; package syscall has no wrapper
		switch errno {
		case 0:
			return nil
		case syscall.EINTR:
			continue
		default:
			return fmt.Errorf("waitid %d: %w", pid, errno)
		}
	}
}

// readCPUSplit reads the CPU times of process pid, which must have exited
// and not been reaped: utime and stime (fields 14 and 15 of /proc/PID/stat)
// are its own, cutime and cstime (16 and 17) those of the children it
// waited for. Go's os/exec, and so go-plugin, waits for every provider
// process it starts.
func readCPUSplit(pid int) (cpuSplit, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return cpuSplit{}, err
	}
	ticks, err := statTicks(string(b))
	if err != nil {
		return cpuSplit{}, fmt.Errorf("/proc/%d/stat: %w", pid, err)
	}
	return cpuSplit{
		core:      ticksToDuration(ticks[0] + ticks[1]),
		providers: ticksToDuration(ticks[2] + ticks[3]),
	}, nil
}

// statTicks returns utime, stime, cutime and cstime from a /proc/PID/stat
// line.
func statTicks(stat string) ([4]int64, error) {
	var out [4]int64
	f, err := statFields(stat)
	if err != nil {
		return out, err
	}
	for j := range out {
		v, err := strconv.ParseInt(f[11+j], 10, 64)
		if err != nil {
			return out, fmt.Errorf("field %d: %w", 14+j, err)
		}
		out[j] = v
	}
	return out, nil
}

// statFields splits a /proc/PID/stat line after the command name (field
// 2), which is in parentheses and may hold spaces: the fields that follow
// start after the last ')'. The first returned is field 3 (state), so
// field k is at k-3. At least fields 3 to 17 are there.
func statFields(stat string) ([]string, error) {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return nil, fmt.Errorf("no command name in %q", stat)
	}
	f := strings.Fields(stat[i+1:])
	if len(f) < 15 {
		return nil, fmt.Errorf("only %d fields after the command name", len(f))
	}
	return f, nil
}
