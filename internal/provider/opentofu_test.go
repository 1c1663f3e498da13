package provider

import (
	"os/exec"
	"strings"
	"sync"
	"testing"
)

// `make test-tofu` runs these acceptance tests with OpenTofu as
// TF_ACC_TERRAFORM_PATH. OpenTofu reports its own version number to
// terraform-plugin-testing (`tofu version -json` fills terraform_version), so
// tfversion checks compare OpenTofu 1.12.6 as if it were Terraform 1.12.6;
// where the two CLIs really behave differently, tests ask underOpenTofu.

var openTofu struct {
	once sync.Once
	yes  bool
}

// underOpenTofu reports whether the CLI the acceptance tests run is
// OpenTofu, from the first line of its `version` output ("OpenTofu v…",
// where Terraform prints "Terraform v…").
func underOpenTofu(t *testing.T) bool {
	t.Helper()
	openTofu.once.Do(func() {
		cli := terraformPath()
		out, err := exec.CommandContext(t.Context(), cli, "version").Output()
		if err != nil {
			t.Logf("running %s version to tell Terraform from OpenTofu: %v; assuming Terraform", cli, err)
			return
		}
		openTofu.yes = strings.Contains(string(out), "OpenTofu v")
	})
	return openTofu.yes
}

// ephemeralOpensPerStep is how many times a plan-and-apply test step opens an
// ephemeral resource when the plan has no changes. Terraform 1.11 opens it in
// the plan and again when it applies the saved plan; OpenTofu 1.12 does not
// open it again when the saved plan it applies has no changes, so only the
// plan opens it.
func ephemeralOpensPerStep(t *testing.T) int {
	if underOpenTofu(t) {
		return 1
	}
	return 2
}
