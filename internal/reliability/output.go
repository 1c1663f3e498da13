package reliability

import (
	"context"
	"strings"
	"time"
)

// errorBlocks returns terraform's "Error: ..." diagnostics, each with its
// detail lines, as they appear in -no-color output.
func errorBlocks(out string) []string {
	var blocks []string
	lines := strings.Split(out, "\n")
	for i := 0; i < len(lines); i++ {
		if !strings.HasPrefix(strings.TrimLeft(lines[i], "│ "), "Error: ") {
			continue
		}
		var b []string
		for j := i; j < len(lines) && j < i+40; j++ {
			l := strings.TrimLeft(lines[j], "│╷╵ ")
			if j > i && strings.HasPrefix(l, "Error: ") {
				break
			}
			b = append(b, l)
		}
		blocks = append(blocks, strings.TrimSpace(strings.Join(b, "\n")))
	}
	return blocks
}

// countErrors is how many of out's error blocks contain text.
func countErrors(out, text string) int {
	n := 0
	for _, e := range errorBlocks(out) {
		if strings.Contains(e, text) {
			n++
		}
	}
	return n
}

// lastError is the last diagnostic of terraform's output, or its tail.
func lastError(out string) string {
	if b := errorBlocks(out); len(b) > 0 {
		return b[len(b)-1]
	}
	out = strings.TrimSpace(out)
	if len(out) > 600 {
		out = "…" + out[len(out)-600:]
	}
	return out
}

// firstLine is s up to its first line break.
func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// waitUntil polls cond every 100ms until it holds, ctx ends or timeout
// passes.
func waitUntil(ctx context.Context, timeout time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		if cond() {
			return true
		}
		time.Sleep(100 * time.Millisecond)
	}
	return cond()
}
