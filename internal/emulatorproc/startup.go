// Package emulatorproc starts the box-emulator command for the demo, the
// benchmark and the reliability suite, and reads the lines it prints on
// start. Those lines are a fixed interface of the emulator:
//
//	box-emulator listening on http://HOST:PORT   (https:// with -tls or -tls-cert)
//	seed KEY: VALUE        (with -seed, one line per seeded ID, after it)
//
// Seed lines are read generically into a map, so a new seed line needs no
// change here: a caller that wants it names its key in Options.Need.
package emulatorproc

import (
	"fmt"
	"sort"
	"strings"
)

const (
	listeningPrefix = "box-emulator listening on "
	seedPrefix      = "seed "
)

// Seed holds every value of each seed key, in the order printed (the
// emulator prints one file_id line per seeded file, for example).
type Seed map[string][]string

// Get returns the first value printed for key, or "".
func (s Seed) Get(key string) string {
	if v := s[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// Startup is what the emulator has printed so far.
type Startup struct {
	URL  string // http://HOST:PORT or https://HOST:PORT, from the listening line
	Seed Seed
}

// ParseLine reads one line of the emulator's stdout and reports whether it
// was a startup line. Other lines are ignored, so that the emulator may
// print more without breaking its launchers.
func (s *Startup) ParseLine(line string) bool {
	line = strings.TrimRight(line, "\r\n")
	if u, ok := strings.CutPrefix(line, listeningPrefix); ok {
		s.URL = strings.TrimSpace(u)
		return s.URL != ""
	}
	rest, ok := strings.CutPrefix(line, seedPrefix)
	if !ok {
		return false
	}
	key, value, ok := strings.Cut(rest, ":")
	key, value = strings.TrimSpace(key), strings.TrimSpace(value)
	if !ok || key == "" || strings.ContainsAny(key, " \t") || value == "" {
		return false
	}
	if s.Seed == nil {
		s.Seed = Seed{}
	}
	s.Seed[key] = append(s.Seed[key], value)
	return true
}

// Missing lists what the caller waits for and has not been printed yet:
// "address" for the listening line, then the absent seed keys, sorted.
func (s *Startup) Missing(need []string) []string {
	var out []string
	if s.URL == "" {
		out = append(out, "address")
	}
	var keys []string
	for _, k := range need {
		if s.Seed.Get(k) == "" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return append(out, keys...)
}

// Addr is the HOST:PORT part of URL.
func (s *Startup) Addr() string {
	_, hostPort, _ := strings.Cut(s.URL, "://")
	return hostPort
}

func (s *Startup) String() string {
	return fmt.Sprintf("url=%q seed=%v", s.URL, s.Seed)
}
