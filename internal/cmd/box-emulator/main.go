// Command box-emulator serves the Box API emulator on a local port.
//
//	go run ./internal/cmd/box-emulator [flags]
//
// On start it prints `box-emulator listening on http://HOST:PORT` (https://
// with -tls or -tls-cert) as the first line of stdout (with -seed, the seeded IDs follow, one
// `seed key: value` per line), serves until SIGINT or SIGTERM, saves -data
// and exits 0. Bad flags print usage and exit 2.
package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/box/terraform-provider-box/internal/emulator"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	cfg, code := parseFlags(args, stderr)
	if cfg == nil {
		return code
	}
	emu, err := emulator.New(cfg.opts)
	if err != nil {
		fmt.Fprintf(stderr, "box-emulator: %v\n", err)
		return 1
	}
	return serve(emu, cfg, stdout, stderr)
}

// config is what the flags ask for.
type config struct {
	addr string
	opts emulator.Options
	tls  *tlsFlags
}

// parseFlags reads the flags; on failure it returns nil and the exit code
// (0 for -help, 2 for usage errors, 1 for an unreadable key file).
func parseFlags(args []string, stderr io.Writer) (*config, int) {
	fs := flag.NewFlagSet("box-emulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		addr       = fs.String("addr", "127.0.0.1:8090", "listen address; port 0 picks a free port")
		data       = fs.String("data", "", "keep all state in `FILE` and load it on start (default: in memory)")
		devToken   = fs.String("developer-token", emulator.DefaultDeveloperToken, "a bearer `TOKEN` accepted for the admin user")
		devTTL     = fs.Duration("developer-token-ttl", emulator.DefaultDeveloperTokenTTL, "lifetime of the developer token from start (Box: 60m, not renewable; POST /_emulator/developer_token renews it)")
		clientID   = fs.String("client-id", emulator.DefaultClientID, "client `ID` accepted by the client-credentials and JWT grants")
		secret     = fs.String("client-secret", emulator.DefaultClientSecret, "client `SECRET`")
		enterprise = fs.String("enterprise-id", emulator.DefaultEnterpriseID, "enterprise `ID`")
		jwtKey     = fs.String("jwt-public-key", "", "PEM public key `FILE` that verifies JWT assertions")
		jwtKID     = fs.String("jwt-key-id", "emulator-key", "`KID` of the JWT public key")
		ttl        = fs.Duration("token-ttl", 60*time.Minute, "lifetime of issued tokens")
		latency    = fs.Duration("latency", 0, "added before every API response")
		convDelay  = fs.Duration("conversion-delay", emulator.DefaultConversionDelay, "how long a new sign request stays \"converting\" and a signed one \"finalizing\" (0 for runs that do not study conversion)")
		asUser     = fs.Bool("as-user", true, "the app may \"Perform actions as users\" (As-User header)")
		userTokens = fs.Bool("user-tokens", true, "the app may \"Generate user access tokens\" (user-subject grants)")
		rateLimit  = fs.Int("rate-limit", 0, "Box Sign's per-user limit per minute on create and resend; 0 = off")
		seed       = fs.Bool("seed", false, "create the admin's demo folder, PDF files and three sign templates, collaborate the folder with the service account as editor, and print their IDs")
	)
	applyWebhookFlags := addWebhookFlags(fs)
	tlsFlags := addTLSFlags(fs)
	autoActs := addAutoActFlag(fs)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: box-emulator [flags]\n\nAn offline stand-in for api.box.com.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, 0
		}
		return nil, 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "box-emulator: unexpected arguments: %v\n", fs.Args())
		fs.Usage()
		return nil, 2
	}
	if *rateLimit < 0 || *ttl <= 0 || *devTTL <= 0 || *latency < 0 || *convDelay < 0 {
		fmt.Fprintln(stderr, "box-emulator: -rate-limit, -latency and -conversion-delay must not be negative; -token-ttl and -developer-token-ttl must be positive")
		fs.Usage()
		return nil, 2
	}

	if err := tlsFlags.check(); err != nil {
		fmt.Fprintf(stderr, "box-emulator: %v\n", err)
		fs.Usage()
		return nil, 2
	}

	opts := emulator.Options{
		DeveloperToken:     *devToken,
		DeveloperTokenTTL:  *devTTL,
		ClientID:           *clientID,
		ClientSecret:       *secret,
		EnterpriseID:       *enterprise,
		JWTKeyID:           *jwtKID,
		TokenTTL:           *ttl,
		Latency:            *latency,
		ConversionDelay:    *convDelay,
		AsUserDisabled:     !*asUser,
		UserTokensDisabled: !*userTokens,
		RateLimit:          *rateLimit,
		DataFile:           *data,
		Seed:               *seed,
		AutoAct:            *autoActs,
	}
	if *jwtKey != "" {
		pem, err := os.ReadFile(*jwtKey)
		if err != nil {
			fmt.Fprintf(stderr, "box-emulator: %v\n", err)
			return nil, 1
		}
		opts.JWTPublicKeyPEM = pem
	}
	if code := applyWebhookFlags(&opts, stderr); code != 0 {
		return nil, code
	}
	return &config{addr: *addr, opts: opts, tls: tlsFlags}, 0
}

// serve listens, prints the startup and seed lines, and serves until
// SIGINT or SIGTERM, then saves -data.
func serve(emu *emulator.Emulator, cfg *config, stdout, stderr io.Writer) int {
	// From here on SIGINT and SIGTERM end the run through the normal path,
	// which saves -data.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", cfg.addr)
	if err != nil {
		fmt.Fprintf(stderr, "box-emulator: %v\n", err)
		return 1
	}
	tlsConfig, err := cfg.tls.config(ln.Addr())
	if err != nil {
		_ = ln.Close()
		fmt.Fprintf(stderr, "box-emulator: TLS: %v\n", err)
		return 1
	}
	scheme := "http"
	if tlsConfig != nil {
		ln, scheme = tls.NewListener(ln, tlsConfig), "https"
	}
	fmt.Fprintf(stdout, "box-emulator listening on %s://%s\n", scheme, ln.Addr())
	if cfg.opts.Seed {
		printSeed(stdout, emu.Seeded())
	}

	srv := &http.Server{Handler: emu, ReadHeaderTimeout: 10 * time.Second}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()

	code := 0
	select {
	case <-ctx.Done():
	case err := <-serveErr:
		fmt.Fprintf(stderr, "box-emulator: %v\n", err)
		code = 1
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(shutdownCtx)
	_ = emu.Close() // pending webhook retries end here
	if err := emu.Save(); err != nil {
		fmt.Fprintf(stderr, "box-emulator: saving %s: %v\n", cfg.opts.DataFile, err)
		code = 1
	}
	return code
}

// printSeed prints one `seed key: value` line per seeded ID.
func printSeed(stdout io.Writer, s emulator.SeedInfo) {
	fmt.Fprintf(stdout, "seed folder_id: %s\n", s.FolderID)
	for _, id := range s.FileIDs {
		fmt.Fprintf(stdout, "seed file_id: %s\n", id)
	}
	for _, id := range s.TemplateIDs {
		fmt.Fprintf(stdout, "seed template_id: %s\n", id)
	}
	fmt.Fprintf(stdout, "seed admin_user_id: %s\n", s.AdminUserID)
	fmt.Fprintf(stdout, "seed admin_login: %s\n", s.AdminLogin)
	fmt.Fprintf(stdout, "seed service_account_id: %s\n", s.ServiceAccountID)
	fmt.Fprintf(stdout, "seed service_account_login: %s\n", s.ServiceAccountLogin)
}
