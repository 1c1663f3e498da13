package main

import (
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestWebhookFlags(t *testing.T) {
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, []byte("-----BEGIN CERTIFICATE-----\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, code := parseFlags([]string{"-webhook-primary-key", "p", "-webhook-secondary-key", "s", "-webhook-ca-file", ca}, io.Discard)
	if cfg == nil || code != 0 {
		t.Fatalf("parse: %d", code)
	}
	w := cfg.opts.Webhooks
	if w.PrimaryKey != "p" || w.SecondaryKey != "s" || string(w.RootCAsPEM) != "-----BEGIN CERTIFICATE-----\n" {
		t.Errorf("webhook options: %+v", w)
	}
	if cfg, code := parseFlags([]string{"-webhook-ca-file", filepath.Join(t.TempDir(), "missing.pem")}, io.Discard); cfg != nil || code != 1 {
		t.Errorf("missing CA file: %v %d", cfg, code)
	}
	if cfg, _ := parseFlags(nil, io.Discard); cfg.opts.Webhooks.PrimaryKey != "" || cfg.opts.Webhooks.RootCAsPEM != nil {
		t.Errorf("defaults: %+v", cfg.opts.Webhooks)
	}
}
