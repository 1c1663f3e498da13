package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/box/terraform-provider-box/internal/emulator"
)

// addWebhookFlags declares the webhook flags on fs and returns the step
// that applies them to the options once parsed: a nonzero exit code means
// the CA file could not be read.
func addWebhookFlags(fs *flag.FlagSet) func(*emulator.Options, io.Writer) int {
	primary := fs.String("webhook-primary-key", "", "the app's primary webhook signature `KEY` (Box makes it in the Developer Console); empty sends no BOX-SIGNATURE-PRIMARY")
	secondary := fs.String("webhook-secondary-key", "", "the app's secondary webhook signature `KEY`; empty sends no BOX-SIGNATURE-SECONDARY")
	caFile := fs.String("webhook-ca-file", "", "PEM `FILE` of extra CA certificates trusted for webhook receivers (a test receiver's own certificate)")
	return func(opts *emulator.Options, stderr io.Writer) int {
		opts.Webhooks.PrimaryKey = *primary
		opts.Webhooks.SecondaryKey = *secondary
		if *caFile == "" {
			return 0
		}
		pem, err := os.ReadFile(*caFile)
		if err != nil {
			fmt.Fprintf(stderr, "box-emulator: -webhook-ca-file: %v\n", err)
			return 1
		}
		opts.Webhooks.RootCAsPEM = pem
		return 0
	}
}
