// Command demo runs the offline demo behind `make demo`: it starts the Box
// API emulator, applies examples/demo with the locally built provider (the
// admin makes a folder, uploads the NDA and collaborates the service
// account; the service account sends the sign request), shows the request
// converting and then sent, acts as both signers (a password, then an SMS
// code), shows the request signed, edits the NDA to show one in-place new
// version, destroys everything it made (Box keeps the signed copy) and
// cleans up. It talks to the emulator over HTTP only, as any user could
// with curl.
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
	"strings"
	"syscall"
	"time"

	"github.com/box/terraform-provider-box/internal/emulatorproc"
)

// conversionDelay is how long the emulator keeps the demo's request
// "converting", stated here rather than left to the emulator's default so
// that the demo always shows the request converting and then sent.
const conversionDelay = 3 * time.Second

func main() {
	bin := flag.String("bin", "bin", "folder holding terraform-provider-box and box-emulator")
	tf := flag.String("terraform", "terraform", "terraform (or tofu) binary to run")
	example := flag.String("example", "examples/demo", "the configuration to apply")
	flag.Parse()
	if err := run(*bin, *tf, *example); err != nil {
		fmt.Fprintln(os.Stderr, "\ndemo failed:", err)
		os.Exit(1)
	}
}

func say(format string, args ...any) {
	fmt.Printf("\n==> "+format+"\n", args...)
}

// demo is one run: the emulator, and terraform in a temporary folder.
type demo struct {
	ctx  context.Context
	tf   string // absolute path of terraform (or tofu)
	work string // the working folder the commands run in
	env  []string
	emu  *emulatorproc.Process

	svcToken string // the service account's, fetched once (serviceToken)
}

func run(bin, tf, example string) error {
	tfPath, err := exec.LookPath(tf)
	if err != nil {
		return fmt.Errorf("%s is not installed or not on PATH; install Terraform 1.11 or later (the demo never downloads it)", tf)
	}
	// A relative path (-terraform .cache/tofu/v1.12.6/tofu) would otherwise
	// be resolved from the temporary working folder the commands run in.
	if tfPath, err = filepath.Abs(tfPath); err != nil {
		return err
	}
	if bin, err = filepath.Abs(bin); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	tmp, err := os.MkdirTemp("", "box-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	say("Starting the Box API emulator (a local stand-in for api.box.com) with a demo folder and PDF")
	emu, err := emulatorproc.Start(ctx, emulatorproc.Options{
		Bin:             filepath.Join(bin, "box-emulator"),
		ConversionDelay: conversionDelay,
		Need:            []string{"folder_id"},
		Stderr:          os.Stderr,
	})
	if err != nil {
		return err
	}
	defer emu.Stop()
	fmt.Printf("    emulator at %s; Box keeps the signed copies in the admin's folder %s, which Terraform does not manage\n", emu.URL, emu.Seed.Get("folder_id"))

	d := &demo{ctx: ctx, tf: tfPath, work: filepath.Join(tmp, "work"), emu: emu}
	if err := d.prepare(bin, example, filepath.Join(tmp, "terraformrc")); err != nil {
		return err
	}
	return d.steps()
}

// prepare writes the CLI configuration and copies the example. dev_overrides
// makes terraform use the provider just built instead of downloading one;
// the config lives in the temporary folder, never in the user's home.
// OpenTofu reads the source "box/box" as registry.opentofu.org/box/box, so
// both addresses are overridden.
func (d *demo) prepare(bin, example, cliConfig string) error {
	if err := os.WriteFile(cliConfig, []byte(fmt.Sprintf(`provider_installation {
  dev_overrides {
    "registry.terraform.io/box/box" = %[1]q
    "registry.opentofu.org/box/box" = %[1]q
  }
  direct {}
}
`, bin)), 0o600); err != nil {
		return err
	}
	if err := copyDir(example, d.work); err != nil {
		return err
	}
	// The user's own BOX_* settings would reach both providers (a
	// developer token beside client credentials is refused): leave them out.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "BOX_") {
			d.env = append(d.env, kv)
		}
	}
	d.env = append(d.env,
		"TF_CLI_CONFIG_FILE="+cliConfig,
		"TF_IN_AUTOMATION=1",
		"TF_INPUT=0",
		"CHECKPOINT_DISABLE=1",
		"BOX_API_BASE_URL="+d.emu.URL,
		"TF_VAR_developer_token="+devToken,
		"TF_VAR_client_id="+clientID,
		"TF_VAR_client_secret="+clientSecret,
		"TF_VAR_enterprise_id="+enterpriseID,
		"TF_VAR_signed_copies_folder_id="+d.emu.Seed.Get("folder_id"),
	)
	return nil
}

// steps is the story the demo tells, one step after another.
func (d *demo) steps() error {
	say("Skipping terraform init: the CLI config's dev_overrides point Terraform at the provider just built, so there is nothing to install")

	say("One apply: the admin makes a folder, uploads nda.pdf and collaborates the service account (found with box_current_user) as editor;\n"+
		"    the service account sends the sign request: Alice must type a password, Bob must confirm an SMS code before he can see the document.\n"+
		"    Box first converts the PDF (the emulator takes %s), then sends the request; the provider waits for that", conversionDelay)
	seen, err := d.applyWatchingStatus()
	if err != nil {
		return err
	}
	if !containsInOrder(seen, "converting", "sent") {
		return fmt.Errorf("the request went through statuses %v, want converting and then sent", seen)
	}
	id, err := d.output("id")
	if err != nil {
		return err
	}
	if err := d.sign(id); err != nil {
		return err
	}

	say("Box finalizes the signed document (the emulator takes %s), then the request is signed", conversionDelay)
	ctx, cancel := context.WithTimeout(d.ctx, time.Minute)
	seen = d.watchStatus(ctx, "signed", 200*time.Millisecond)
	cancel()
	if len(seen) == 0 || seen[len(seen)-1] != "signed" {
		return fmt.Errorf("the request went through statuses %v after both signers signed, want signed at last", seen)
	}

	say("Refreshing: Terraform sees the request signed, with no change to plan")
	if err := d.terraform("apply", "-refresh-only", "-auto-approve", "-no-color"); err != nil {
		return fmt.Errorf("terraform apply -refresh-only: %w", err)
	}
	status, err := d.output("status")
	if err != nil {
		return err
	}
	if status != "signed" {
		return fmt.Errorf("the request is %q after both signers signed, want signed", status)
	}
	fmt.Printf("    status: %s\n", status)

	if err := d.newVersion(); err != nil {
		return err
	}
	folderID, err := d.output("folder_id")
	if err != nil {
		return err
	}
	say("Destroying: a signed request cannot be cancelled, so Terraform warns and forgets it;\n" +
		"    the collaboration, the file and the folder go; Box keeps the signed PDF in the folder Terraform does not manage")
	if err := d.terraform("destroy", "-auto-approve", "-no-color"); err != nil {
		return fmt.Errorf("terraform destroy: %w", err)
	}
	if err := d.checkLeftovers(folderID); err != nil {
		return err
	}
	say("Done: the emulator is stopped and the temporary files are removed")
	return nil
}

// newVersion edits the NDA and shows that the plan uploads one new version
// in place and leaves the sign request alone, then applies it.
func (d *demo) newVersion() error {
	say("Editing nda.pdf: the plan uploads one new version in place (same file ID) and leaves the sign request alone")
	pdf := filepath.Join(d.work, "nda.pdf")
	b, err := os.ReadFile(pdf)
	if err != nil {
		return err
	}
	if err := os.WriteFile(pdf, append(b, []byte("% revised\n")...), 0o600); err != nil {
		return err
	}
	out, err := d.terraformOutput("plan", "-no-color")
	fmt.Print(indent(out))
	if err != nil {
		return fmt.Errorf("terraform plan: %w", err)
	}
	for _, want := range []string{"box_file.nda will be updated in-place", "Plan: 0 to add, 1 to change, 0 to destroy."} {
		if !strings.Contains(out, want) {
			return fmt.Errorf("the plan for an edited NDA lacks %q", want)
		}
	}
	if err := d.terraform("apply", "-auto-approve", "-no-color"); err != nil {
		return fmt.Errorf("terraform apply: %w", err)
	}
	return nil
}

// applyWatchingStatus runs terraform apply while it prints every status the
// new request goes through, as Box reports it, and returns them in order.
func (d *demo) applyWatchingStatus() ([]string, error) {
	ctx, stop := context.WithCancel(d.ctx)
	statuses := make(chan []string, 1)
	go func() { statuses <- d.watchStatus(ctx, "sent", 200*time.Millisecond) }()
	err := d.terraform("apply", "-auto-approve", "-no-color")
	stop()
	seen := <-statuses
	if err != nil {
		return seen, fmt.Errorf("terraform apply: %w", err)
	}
	return seen, nil
}

// sign acts as both signers, checking that the emulator refuses what it
// must refuse.
func (d *demo) sign(id string) error {
	say("Alice opens the document: a wrong password is refused, the right one lets her in, and she signs")
	for _, a := range []signerAction{
		{"alice@example.com", "open", map[string]any{"password": "guess"}, 403},
		{"alice@example.com", "open", map[string]any{"password": "correct-horse-battery"}, 200},
		{"alice@example.com", "sign", nil, 200},
	} {
		if err := d.act(id, a); err != nil {
			return err
		}
	}

	say("Bob opens the document: Box texts him a code first, a wrong code is refused, the right one lets him in, and he signs")
	if err := d.act(id, signerAction{"bob@example.com", "open", nil, 403}); err != nil {
		return err
	}
	code, err := d.lastSMS(id)
	if err != nil {
		return err
	}
	fmt.Printf("    the emulator 'sent' SMS code %s to Bob's phone\n", code)
	for _, a := range []signerAction{
		{"bob@example.com", "open", map[string]any{"sms_code": "000000"}, 403},
		{"bob@example.com", "open", map[string]any{"sms_code": code}, 200},
		{"bob@example.com", "sign", nil, 200},
	} {
		if err := d.act(id, a); err != nil {
			return err
		}
	}
	return nil
}

func (d *demo) terraform(args ...string) error {
	fmt.Printf("    $ %s %s\n", filepath.Base(d.tf), strings.Join(args, " "))
	cmd := exec.CommandContext(d.ctx, d.tf, args...)
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = d.work, d.env, os.Stdout, os.Stderr
	return cmd.Run()
}

// terraformOutput runs terraform and returns what it printed.
func (d *demo) terraformOutput(args ...string) (string, error) {
	fmt.Printf("    $ %s %s\n", filepath.Base(d.tf), strings.Join(args, " "))
	cmd := exec.CommandContext(d.ctx, d.tf, args...)
	cmd.Dir, cmd.Env, cmd.Stderr = d.work, d.env, os.Stderr
	out, err := cmd.Output()
	return string(out), err
}

func indent(s string) string {
	if s == "" {
		return ""
	}
	return "    " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n    ") + "\n"
}

func (d *demo) output(name string) (string, error) {
	cmd := exec.CommandContext(d.ctx, d.tf, "output", "-raw", name)
	cmd.Dir, cmd.Env, cmd.Stderr = d.work, d.env, os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("terraform output %s: %w", name, err)
	}
	return strings.TrimSpace(string(out)), nil
}

// containsInOrder reports whether want appears in list in that order,
// other entries allowed between.
func containsInOrder(list []string, want ...string) bool {
	i := 0
	for _, s := range list {
		if i < len(want) && s == want[i] {
			i++
		}
	}
	return i == len(want)
}

func copyDir(src, dst string) error {
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	entries, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	for _, en := range entries {
		if en.IsDir() || (!strings.HasSuffix(en.Name(), ".tf") && !strings.HasSuffix(en.Name(), ".pdf")) {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, en.Name()))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dst, en.Name()), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

var errNoSMS = errors.New("the emulator sent no SMS code")
