// Command terraform-provider-box serves the Box provider to Terraform.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	rtdebug "runtime/debug"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/box/terraform-provider-box/internal/pluginlog"
	"github.com/box/terraform-provider-box/internal/provider"
)

// version is set by goreleaser at build time (-X main.version=...).
var version = "dev"

// gcPercent is the provider process's GOGC unless the user sets GOGC.
// Terraform starts a provider process per command and stops it at the
// end; in between it allocates much and keeps little (a plan at N = 100
// keeps 5 to 10 MB alive), so at Go's default of 100 it collects about a
// hundred times per command, a third of its CPU. At 400 the heap may grow
// to five times what is alive before a collection instead of twice
// (DESIGN.md, "Provider CPU", has the figures).
const gcPercent = 400

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	if os.Getenv("GOGC") == "" {
		rtdebug.SetGCPercent(gcPercent)
	}
	// Started by Terraform, the provider's log lines go to core, which
	// drops them all unless TF_LOG or TF_LOG_PROVIDER asks for them; the
	// SDK would still format one per validator and plan modifier. Under
	// -debug the lines go to this process's own stderr, which someone
	// reads, so they stay.
	if !debug && !pluginlog.KeptByCore(os.Getenv) {
		if err := pluginlog.Quiet(os.Setenv, provider.Address); err != nil {
			log.Fatal(err)
		}
	}

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: provider.Address,
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err)
	}
}
