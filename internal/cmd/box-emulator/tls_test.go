package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestCertNames(t *testing.T) {
	for _, c := range []struct {
		addr  *net.TCPAddr
		hosts string
		want  []string
	}{
		{&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 1}, "", []string{"localhost", "127.0.0.1"}},
		{&net.TCPAddr{IP: net.IPv4zero, Port: 1}, "box-emulator, emulator.ci.test,", []string{"localhost", "127.0.0.1", "::1", "box-emulator", "emulator.ci.test"}},
		{&net.TCPAddr{IP: net.IPv6loopback, Port: 1}, "10.0.0.5", []string{"localhost", "::1", "10.0.0.5"}},
	} {
		if got := certNames(c.addr, c.hosts); !reflect.DeepEqual(got, c.want) {
			t.Errorf("certNames(%v, %q) = %v, want %v", c.addr, c.hosts, got, c.want)
		}
	}
}

// Flags that cannot work together are usage errors (exit 2), before
// anything listens.
func TestTLSAndAutoActFlagErrors(t *testing.T) {
	dir := t.TempDir()
	ca := filepath.Join(dir, "ca.pem")
	for _, args := range [][]string{
		{"-tls"},
		{"-tls", "-tls-ca-out", ca, "-tls-cert", ca, "-tls-key", ca},
		{"-tls-cert", ca},
		{"-tls-key", ca},
		{"-tls-hosts", "a.test"},
		{"-tls-ca-out", ca},
		{"-auto-act", "alice@example.com"},
		{"-auto-act", "alice@example.com=sign@later"},
	} {
		cfg, code := parseFlags(args, io.Discard)
		if cfg != nil || code != 2 {
			t.Errorf("%v: exit %d, want a usage error (2)", args, code)
		}
	}
	cfg, code := parseFlags([]string{"-auto-act", "a@example.com=sign", "-auto-act", "b@example.com=decline@2s"}, io.Discard)
	if cfg == nil || code != 0 || len(cfg.opts.AutoAct) != 2 || cfg.opts.AutoAct[1].Delay != 2*time.Second {
		t.Fatalf("two -auto-act rules: %+v, exit %d", cfg, code)
	}
	if _, err := os.Stat(ca); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused command wrote %s", ca)
	}
}

// -tls serves HTTPS with a certificate made for the listen address,
// localhost and -tls-hosts, written to -tls-ca-out before the startup line;
// a client that trusts that file reaches the emulator at each of those
// names and at no other. Names are resolved by a dial hook to the
// emulator's loopback address: no resolver is asked.
func TestSelfSignedTLS(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the command")
	}
	bin := buildCommand(t)
	ca := filepath.Join(t.TempDir(), "ca.pem")
	base := startCommand(t, bin, "-addr", "127.0.0.1:0", "-tls", "-tls-hosts", "box-emulator.ci.test", "-tls-ca-out", ca)
	port, ok := strings.CutPrefix(base, "https://127.0.0.1:")
	if !ok {
		t.Fatalf("startup URL %q, want https://127.0.0.1:PORT", base)
	}
	get := func(host string, trust bool) error {
		return getEmulator(t, "https://"+net.JoinHostPort(host, port), "127.0.0.1:"+port, caPool(t, ca, trust))
	}
	for _, host := range []string{"127.0.0.1", "localhost", "box-emulator.ci.test"} {
		if err := get(host, true); err != nil {
			t.Errorf("%s with the CA: %v", host, err)
		}
	}
	var hostErr x509.HostnameError
	if err := get("other.ci.test", true); !errors.As(err, &hostErr) {
		t.Errorf("a name the certificate does not carry: %v, want a hostname error", err)
	}
	var authErr x509.UnknownAuthorityError
	if err := get("box-emulator.ci.test", false); !errors.As(err, &authErr) {
		t.Errorf("without the CA: %v, want an unknown-authority error", err)
	}
}

// -tls-cert and -tls-key serve the caller's own pair.
func TestOwnCertificateTLS(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the command")
	}
	bin := buildCommand(t)
	dir := t.TempDir()
	cert, certPEM, err := selfSigned([]string{"own.ci.test"})
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(cert.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, certPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	base := startCommand(t, bin, "-addr", "127.0.0.1:0", "-tls-cert", certFile, "-tls-key", keyFile)
	port, ok := strings.CutPrefix(base, "https://127.0.0.1:")
	if !ok {
		t.Fatalf("startup URL %q", base)
	}
	if err := getEmulator(t, "https://own.ci.test:"+port, "127.0.0.1:"+port, caPool(t, certFile, true)); err != nil {
		t.Errorf("own certificate: %v", err)
	}
}

// startCommand runs the command with args and returns the URL of its
// startup line; the command is stopped when the test ends.
func startCommand(t *testing.T, bin string, args ...string) string {
	t.Helper()
	cmd, stdout := runCommand(t, bin, args...)
	t.Cleanup(func() { _ = cmd.Wait() })
	sc := bufio.NewScanner(stdout)
	if !sc.Scan() {
		t.Fatal("no startup line")
	}
	go func() { _, _ = io.Copy(io.Discard, stdout) }()
	base, ok := strings.CutPrefix(sc.Text(), "box-emulator listening on ")
	if !ok {
		t.Fatalf("first line %q", sc.Text())
	}
	return base
}

// caPool is the system's roots plus, when trust is set, the PEM file.
func caPool(t *testing.T, file string, trust bool) *x509.CertPool {
	t.Helper()
	pool := x509.NewCertPool()
	if trust {
		b, err := os.ReadFile(file)
		if err != nil || !pool.AppendCertsFromPEM(b) {
			t.Fatalf("reading %s: %v", file, err)
		}
	}
	return pool
}

// getEmulator asks GET /_emulator at base, every connection dialled to
// dial (a loopback address) whatever host base names.
func getEmulator(t *testing.T, base, dial string, roots *x509.CertPool) error {
	t.Helper()
	tr := &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12},
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, dial)
		},
	}
	defer tr.CloseIdleConnections()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, base+"/_emulator", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET %s/_emulator: %d", base, resp.StatusCode)
	}
	return nil
}
