package main

import "time"

// result is everything measured for one N.
type result struct {
	n     int
	walls map[string]map[string][]time.Duration // workspace name, phase: wall time of each round
	cpus  map[string]map[string][]cpuSplit      // workspace name, phase: CPU split of each round
	calls map[string]stats                      // phase: box API requests without latency, summed over rounds
	rate  rateResult
	mem   map[string]procStats // workspace name: its provider processes during the apply
	// profiles are BENCH_PROFILE=1's recordings, in phase order.
	profiles []profile
}

func newResult(n int) *result {
	r := &result{
		n:     n,
		walls: map[string]map[string][]time.Duration{},
		cpus:  map[string]map[string][]cpuSplit{},
		calls: map[string]stats{},
		mem:   map[string]procStats{},
	}
	for _, name := range append([]string{latencyBox}, kinds...) {
		r.walls[name] = map[string][]time.Duration{}
		r.cpus[name] = map[string][]cpuSplit{}
	}
	for _, phase := range phases {
		r.calls[phase] = stats{}
	}
	return r
}

// record keeps what one command of a workspace's phase cost.
func (r *result) record(name, phase string, m measured) {
	r.walls[name][phase] = append(r.walls[name][phase], m.wall)
	r.cpus[name][phase] = append(r.cpus[name][phase], m.cpu)
	if phase == "apply" && m.procs.peakRSSKB > r.mem[name].peakRSSKB {
		r.mem[name] = m.procs
	}
	// Polling sees a lower bound of the provider processes' CPU time; the
	// exact figure comes from Terraform's reaped children. More by polling
	// (beyond a tick per process) means a provider process Terraform did
	// not wait for, whose time the figure misses: say so.
	if slack := time.Duration(m.procs.processes+1) * 10 * time.Millisecond; m.procs.cpu > m.cpu.providers+slack {
		progress("warning: %s %s: polling saw %.2f s of provider CPU, more than the %.2f s of the processes Terraform reaped",
			name, phase, m.procs.cpu.Seconds(), m.cpu.providers.Seconds())
	}
}

// cpu is the median CPU split of a workspace's phase over the rounds, each
// part's median taken on its own.
func (r *result) cpu(name, phase string) cpuSplit {
	var core, prov []time.Duration
	for _, c := range r.cpus[name][phase] {
		core, prov = append(core, c.core), append(prov, c.providers)
	}
	if len(core) == 0 {
		return cpuSplit{}
	}
	return cpuSplit{core: median(core), providers: median(prov)}
}

func (r *result) rounds() int { return len(r.walls[kindBox]["apply"]) }

// wall is the median wall time of a workspace's phase over the rounds.
func (r *result) wall(name, phase string) time.Duration { return median(r.walls[name][phase]) }

// perResource is the average number of calls to route per resource in one
// round of phase.
func (r *result) perResource(phase, route string) float64 {
	return float64(r.calls[phase].calls(route)) / float64(r.n*r.rounds())
}

// perCommand is the average number of calls to route in one phase command.
func (r *result) perCommand(phase, route string) float64 {
	return float64(r.calls[phase].calls(route)) / float64(r.rounds())
}

// createSample is the emulator's create counters at one moment of the
// rate-limited apply.
type createSample struct {
	at      time.Duration // since the apply started
	created int           // creates answered 201
	limited int           // creates answered 429
}

// rateResult is figure 4.
type rateResult struct {
	limit   int // creates per minute
	err     error
	wall    time.Duration
	created int
	limited int // creates answered 429
	// share is how fast the creates went through next to the fastest the
	// limit allows, 1 meaning as fast; 0 when the limit was never reached.
	share float64
}

// measure reads the samples taken during the apply.
//
// The emulator's limit is a sliding one-minute window: create number j+L
// can go through only a minute after create number j. So from the first
// create to create number 1+K·L takes at least K minutes, however fast
// the provider is; share is K minutes over the time it actually took.
// Counting from the first create and in whole batches of L keeps out
// what the limit does not govern: how long one batch takes to send.
func (rr *rateResult) measure(series []createSample, wall time.Duration, err error) {
	rr.wall, rr.err = wall, err
	if len(series) == 0 {
		return
	}
	last := series[len(series)-1]
	rr.created, rr.limited = last.created, last.limited
	batches := (rr.created - 1) / rr.limit
	if rr.limited == 0 || batches < 1 {
		return
	}
	first, _ := reached(series, 1)
	end, _ := reached(series, 1+batches*rr.limit)
	if end > first {
		rr.share = float64(batches) * float64(time.Minute) / float64(end-first)
	}
}

// reached returns when the created count first reached n.
func reached(series []createSample, n int) (time.Duration, bool) {
	for _, s := range series {
		if s.created >= n {
			return s.at, true
		}
	}
	return 0, false
}
