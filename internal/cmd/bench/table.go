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

func printTable(w io.Writer, results []*result, parallelism int, latency time.Duration) {
	each := func(f func(r *result) string) []string {
		out := make([]string, len(results))
		for i, r := range results {
			out[i] = f(r)
		}
		return out
	}
	header := row{label: "figure"}
	for _, r := range results {
		header.values = append(header.values, fmt.Sprintf("N=%d", r.n))
	}
	rows := []row{header, {"rounds of apply, plan and destroy (medians below)", each(func(r *result) string { return fmt.Sprint(r.rounds()) })}}

	rows = append(rows, row{label: fmt.Sprintf("1. wall time, no latency, -parallelism=%d (s)", parallelism)})
	for _, phase := range phases {
		rows = append(rows,
			row{phase + ": box | time_static | terraform_data", each(func(r *result) string {
				return fmt.Sprintf("%.1f | %.1f | %.1f", r.wall(kindBox, phase).Seconds(), r.wall(kindTime, phase).Seconds(), r.wall(kindData, phase).Seconds())
			})},
			row{phase + ": box/time_static | box/terraform_data", each(func(r *result) string {
				box := r.wall(kindBox, phase)
				return ratio(box, r.wall(kindTime, phase)) + " | " + ratio(box, r.wall(kindData, phase))
			})},
		)
	}

	rows = append(rows,
		row{label: "2. API calls (box_sign_request)"},
		row{"create, per resource: POST | GET (polls)", each(func(r *result) string {
			return fmt.Sprintf("%.2f | %.2f", r.perResource("apply", routeCreate), r.perResource("apply", routeGet))
		})},
		row{"refresh (plan), per resource: GET", each(func(r *result) string {
			return fmt.Sprintf("%.2f", r.perResource("plan", routeGet))
		})},
		row{"destroy, per resource: GET (refresh) | POST cancel", each(func(r *result) string {
			return fmt.Sprintf("%.2f | %.2f", r.perResource("destroy", routeGet), r.perResource("destroy", routeCancel))
		})},
		row{"token requests per command: apply | plan | destroy", each(func(r *result) string {
			return fmt.Sprintf("%g | %g | %g", r.perCommand("apply", routeOAuth), r.perCommand("plan", routeOAuth), r.perCommand("destroy", routeOAuth))
		})},
		row{"other API calls, all commands", each(func(r *result) string {
			n := 0
			for _, phase := range phases {
				n += r.calls[phase].others(routeCreate, routeGet, routeCancel, routeOAuth)
			}
			return fmt.Sprint(n)
		})},
	)

	rows = append(rows, row{label: fmt.Sprintf("3. latency %v (s): ideal = N/%d x round trips x %v; added = wall - wall without latency", latency, parallelism, latency)})
	for _, phase := range phases {
		trips := fmt.Sprintf("%d round trip", roundTrips[phase])
		if roundTrips[phase] > 1 {
			trips += "s"
		}
		rows = append(rows, row{fmt.Sprintf("%s, %s each: wall | ideal | ratio | added", phase, trips), each(func(r *result) string {
			ideal := time.Duration(float64(r.n) / float64(parallelism) * float64(roundTrips[phase]) * float64(latency))
			wall := r.wall(latencyBox, phase)
			return fmt.Sprintf("%.1f | %.1f | %s | %+.1f", wall.Seconds(), ideal.Seconds(), ratio(wall, ideal), (wall - r.wall(kindBox, phase)).Seconds())
		})})
	}

	rows = append(rows,
		row{label: "4. rate limit (emulator -rate-limit, creates per minute)"},
		row{"limit", each(func(r *result) string { return fmt.Sprintf("%d/min", r.rate.limit) })},
		row{"apply", each(func(r *result) string {
			if r.rate.err != nil {
				return fmt.Sprintf("FAILED after %.1f s", r.rate.wall.Seconds())
			}
			return fmt.Sprintf("ok, %d created in %.1f s", r.rate.created, r.rate.wall.Seconds())
		})},
		row{"creates answered 429", each(func(r *result) string { return fmt.Sprint(r.rate.limited) })},
		row{"create rate while limited, share of the limit", each(func(r *result) string {
			if r.rate.share == 0 {
				return "limit not reached"
			}
			return fmt.Sprintf("%.0f/min = %.0f%%", r.rate.share*float64(r.rate.limit), 100*r.rate.share)
		})},
	)

	rows = append(rows,
		row{label: "5. provider processes during the apply, no latency"},
		row{"peak RSS (MiB): box | time_static", each(func(r *result) string {
			return mib(r.mem[kindBox]) + " | " + mib(r.mem[kindTime])
		})},
		row{"CPU time (s): box | time_static", each(func(r *result) string {
			return fmt.Sprintf("%.1f | %.1f", r.mem[kindBox].cpu.Seconds(), r.mem[kindTime].cpu.Seconds())
		})},
	)

	writeRows(w, rows)
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
