// Command reliability runs the reliability and security scenarios (see
// internal/reliability) and prints one table. It exits 0 when every
// scenario passed, 1 when one failed and 2 on bad flags.
//
//	go run ./internal/cmd/reliability -bin bin -n 20
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/box/terraform-provider-box/internal/reliability"
)

func main() {
	os.Exit(run())
}

func run() int {
	fs := flag.NewFlagSet("reliability", flag.ContinueOnError)
	bin := fs.String("bin", "bin", "folder holding terraform-provider-box and box-emulator, as make build leaves them")
	tf := fs.String("terraform", "terraform", "terraform binary")
	goBin := fs.String("go", "go", "go binary, for the acceptance suite (scenario 8) and fuzzing (10)")
	n := fs.Int("n", 20, "sign requests per scenario")
	only := fs.String("only", "", "comma-separated scenario numbers to run (default: all)")
	fuzzTime := fs.Duration("fuzztime", 3*time.Second, "how long each fuzz target runs")
	keepCorpus := fs.Bool("keep-corpus", false, "copy the inputs fuzzing found into each package's testdata/fuzz")
	keepWork := fs.Bool("keep-work", false, "keep the temporary folder (configs, states, logs)")
	quiet := fs.Bool("q", false, "print only the table")
	if err := fs.Parse(os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	var nums []int
	for _, s := range strings.Split(*only, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		v, err := strconv.Atoi(s)
		if err != nil {
			fmt.Fprintf(os.Stderr, "reliability: -only: %q is not a scenario number\n", s)
			return 2
		}
		nums = append(nums, v)
	}
	tfPath, err := exec.LookPath(*tf)
	if err != nil {
		fmt.Fprintf(os.Stderr, "reliability: %s is not on PATH: install Terraform 1.11 or later (nothing is downloaded)\n", *tf)
		return 1
	}
	absBin, err := filepath.Abs(*bin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "reliability:", err)
		return 1
	}
	wd, _ := os.Getwd()
	opts := reliability.Options{
		Bin: absBin, Terraform: tfPath, Go: *goBin, ModuleDir: wd, N: *n, Only: nums,
		FuzzTime: *fuzzTime, KeepCorpus: *keepCorpus, KeepWork: *keepWork, Log: os.Stderr,
	}
	if *quiet {
		opts.Log = nil
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	start := time.Now()
	results, err := reliability.Run(ctx, opts)
	if err != nil && len(results) == 0 {
		fmt.Fprintln(os.Stderr, "reliability:", err)
		return 1
	}
	fmt.Printf("\nReliability and security scenarios, N = %d sign requests each (%s)\n\n", *n, time.Since(start).Round(time.Second))
	reliability.PrintTable(os.Stdout, results)
	failed := 0
	for _, r := range results {
		if !r.Pass {
			failed++
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "reliability: interrupted:", err)
		return 1
	}
	if failed > 0 {
		fmt.Printf("\n%d of %d scenarios failed\n", failed, len(results))
		return 1
	}
	fmt.Printf("\nall %d scenarios passed\n", len(results))
	return 0
}
