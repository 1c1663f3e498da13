package reliability

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// Result is one row of the table.
type Result struct {
	Num      int
	Name     string
	Pass     bool
	Outcome  string // what happened, or why it failed
	InBox    string // sign requests in Box afterwards
	Dups     string // duplicates among them
	Emails   string // signature_requested emails per signer
	Secrets  string // secrets found in logs, errors or state
	Duration time.Duration
}

// failf marks the result failed with a reason; the first reason wins,
// later ones are appended.
func (r *Result) failf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if r.Pass || r.Outcome == "" {
		r.Outcome = msg
	} else {
		r.Outcome += "; " + msg
	}
	r.Pass = false
}

// PrintTable writes the results as one aligned table.
func PrintTable(w io.Writer, results []Result) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tscenario\tresult\trequests in Box\tduplicates\temails per signer\tsecrets found\ttime\toutcome")
	for _, r := range results {
		verdict := "PASS"
		if !r.Pass {
			verdict = "FAIL"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Num, r.Name, verdict,
			dash(r.InBox), dash(r.Dups), dash(r.Emails), dash(r.Secrets),
			r.Duration.Round(time.Second), oneLine(r.Outcome))
	}
	tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// oneLine keeps a table row on one line.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 400 {
		s = s[:400] + "…"
	}
	return s
}
