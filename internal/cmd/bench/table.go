package main

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// roundTrips is what each command inherently needs per resource, and
// what figure 3's ideal assumes: one create, one read, and for destroy the
// refresh Terraform runs first plus one cancel. A token request per
// command and any polling are the provider's extra.
var roundTrips = map[string]int{"apply": 1, "plan": 1, "destroy": 2}

// row is one line of the table: a label and one value per N. A row
// without values is a section heading.
type row struct {
	label  string
	values []string
}

// table builds the rows of one figure per method, one value per N.
type table struct {
	results     []*result
	parallelism int
	latency     time.Duration
}

func printTable(w io.Writer, results []*result, parallelism int, latency time.Duration) {
	t := table{results: results, parallelism: parallelism, latency: latency}
	header := row{label: "figure"}
	for _, r := range results {
		header.values = append(header.values, fmt.Sprintf("N=%d", r.n))
	}
	rows := []row{header, {"rounds of apply, plan and destroy (medians below)", t.each(func(r *result) string { return fmt.Sprint(r.rounds()) })}}
	rows = append(rows, t.wallAndCPU()...)
	rows = append(rows, t.apiCalls()...)
	rows = append(rows, t.latencyBound()...)
	rows = append(rows, t.rateLimit()...)
	rows = append(rows,
		row{label: "5. provider processes during the apply, no latency"},
		row{"peak RSS (MiB): box | time_static", t.each(func(r *result) string {
			return mib(r.mem[kindBox]) + " | " + mib(r.mem[kindTime])
		})},
	)
	writeRows(w, rows)
}

func (t table) each(f func(r *result) string) []string {
	out := make([]string, len(t.results))
	for i, r := range t.results {
		out[i] = f(r)
	}
	return out
}

// wallAndCPU is figure 1: per phase, the wall times, then where the CPU
// went: the provider processes and Terraform core of each workspace.
func (t table) wallAndCPU() []row {
	rows := []row{{label: fmt.Sprintf("1. wall and CPU time, no latency, -parallelism=%d (CPU: user + system of the provider processes and of Terraform core)", t.parallelism)}}
	for _, phase := range phases {
		rows = append(rows,
			row{phase + " wall (s): box | time_static | terraform_data", t.each(func(r *result) string {
				return fmt.Sprintf("%.1f | %.1f | %.1f", r.wall(kindBox, phase).Seconds(), r.wall(kindTime, phase).Seconds(), r.wall(kindData, phase).Seconds())
			})},
			row{phase + " wall: box/time_static | box/terraform_data", t.each(func(r *result) string {
				box := r.wall(kindBox, phase)
				return ratio(box, r.wall(kindTime, phase)) + " | " + ratio(box, r.wall(kindData, phase))
			})},
			row{phase + " CPU (s), provider + core: box | time_static | terraform_data", t.each(func(r *result) string {
				b, tm, d := r.cpu(kindBox, phase), r.cpu(kindTime, phase), r.cpu(kindData, phase)
				return fmt.Sprintf("%.2f + %.2f | %.2f + %.2f | %.2f", b.providers.Seconds(), b.core.Seconds(), tm.providers.Seconds(), tm.core.Seconds(), d.core.Seconds())
			})},
			row{phase + " CPU per resource (ms), provider: box | time_static | ratio", t.each(func(r *result) string {
				b, tm := r.cpu(kindBox, phase).providers, r.cpu(kindTime, phase).providers
				return fmt.Sprintf("%.1f | %.1f | %s", perResourceMS(b, r.n), perResourceMS(tm, r.n), ratio(b, tm))
			})},
			row{phase + " CPU per resource (ms), core: box | time_static | terraform_data", t.each(func(r *result) string {
				return fmt.Sprintf("%.1f | %.1f | %.1f", perResourceMS(r.cpu(kindBox, phase).core, r.n),
					perResourceMS(r.cpu(kindTime, phase).core, r.n), perResourceMS(r.cpu(kindData, phase).core, r.n))
			})},
		)
	}
	return rows
}

func perResourceMS(d time.Duration, n int) float64 {
	return float64(d) / float64(time.Millisecond) / float64(n)
}

// apiCalls is figure 2.
func (t table) apiCalls() []row {
	return []row{
		{label: "2. API calls (box_sign_request)"},
		{"create, per resource: POST | GET (polls)", t.each(func(r *result) string {
			return fmt.Sprintf("%.2f | %.2f", r.perResource("apply", routeCreate), r.perResource("apply", routeGet))
		})},
		{"refresh (plan), per resource: GET", t.each(func(r *result) string {
			return fmt.Sprintf("%.2f", r.perResource("plan", routeGet))
		})},
		{"destroy, per resource: GET (refresh) | POST cancel", t.each(func(r *result) string {
			return fmt.Sprintf("%.2f | %.2f", r.perResource("destroy", routeGet), r.perResource("destroy", routeCancel))
		})},
		{"token requests per command: apply | plan | destroy", t.each(func(r *result) string {
			return fmt.Sprintf("%g | %g | %g", r.perCommand("apply", routeOAuth), r.perCommand("plan", routeOAuth), r.perCommand("destroy", routeOAuth))
		})},
		{"other API calls, all commands", t.each(func(r *result) string {
			n := 0
			for _, phase := range phases {
				n += r.calls[phase].others(routeCreate, routeGet, routeCancel, routeOAuth)
			}
			return fmt.Sprint(n)
		})},
	}
}

// latencyBound is figure 3.
func (t table) latencyBound() []row {
	rows := []row{{label: fmt.Sprintf("3. latency %v (s): ideal = N/%d x round trips x %v; added = wall - wall without latency", t.latency, t.parallelism, t.latency)}}
	for _, phase := range phases {
		trips := fmt.Sprintf("%d round trip", roundTrips[phase])
		if roundTrips[phase] > 1 {
			trips += "s"
		}
		rows = append(rows, row{fmt.Sprintf("%s, %s each: wall | ideal | ratio | added", phase, trips), t.each(func(r *result) string {
			ideal := time.Duration(float64(r.n) / float64(t.parallelism) * float64(roundTrips[phase]) * float64(t.latency))
			wall := r.wall(latencyBox, phase)
			return fmt.Sprintf("%.1f | %.1f | %s | %+.1f", wall.Seconds(), ideal.Seconds(), ratio(wall, ideal), (wall - r.wall(kindBox, phase)).Seconds())
		})})
	}
	return rows
}

// rateLimit is figure 4.
func (t table) rateLimit() []row {
	return []row{
		{label: "4. rate limit (emulator -rate-limit, creates per minute)"},
		{"limit", t.each(func(r *result) string { return fmt.Sprintf("%d/min", r.rate.limit) })},
		{"apply", t.each(func(r *result) string {
			if r.rate.err != nil {
				return fmt.Sprintf("FAILED after %.1f s", r.rate.wall.Seconds())
			}
			return fmt.Sprintf("ok, %d created in %.1f s", r.rate.created, r.rate.wall.Seconds())
		})},
		{"creates answered 429", t.each(func(r *result) string { return fmt.Sprint(r.rate.limited) })},
		{"create rate while limited, share of the limit", t.each(func(r *result) string {
			if r.rate.share == 0 {
				return "limit not reached"
			}
			return fmt.Sprintf("%.0f/min = %.0f%%", r.rate.share*float64(r.rate.limit), 100*r.rate.share)
		})},
	}
}

// writeRows prints rows as aligned columns; headings stand alone.
func writeRows(w io.Writer, rows []row) {
	labelWidth := 0
	var widths []int
	for _, r := range rows {
		if r.values == nil {
			continue
		}
		labelWidth = max(labelWidth, len(r.label))
		for i, v := range r.values {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], len(v))
		}
	}
	for _, r := range rows {
		if r.values == nil {
			fmt.Fprintf(w, "%s\n", r.label)
			continue
		}
		line := fmt.Sprintf("  %-*s", labelWidth, r.label)
		for i, v := range r.values {
			line += fmt.Sprintf("   %-*s", widths[i], v)
		}
		fmt.Fprintln(w, strings.TrimRight(line, " "))
	}
}

func ratio(a, b time.Duration) string {
	if b <= 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.1fx", float64(a)/float64(b))
}

func mib(ps procStats) string {
	if ps.processes == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.0f", float64(ps.peakRSSKB)/1024)
}
