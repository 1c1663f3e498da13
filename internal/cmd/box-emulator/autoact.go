package main

import (
	"flag"

	"github.com/box/terraform-provider-box/internal/emulator"
)

// addAutoActFlag adds the repeatable -auto-act flag: test-only signers who
// sign or decline on their own, so that a `terraform test` file sees a
// request finish without an HTTP tool (emulator.AutoAct).
func addAutoActFlag(fs *flag.FlagSet) *[]emulator.AutoAct {
	rules := &[]emulator.AutoAct{}
	fs.Func("auto-act", "test only, not Box's behaviour; repeatable: `EMAIL=sign|decline[@DELAY]` makes that signer open and sign (or decline) every request DELAY (default 0) after being emailed to sign, password and SMS code included", func(v string) error {
		r, err := emulator.ParseAutoAct(v)
		if err == nil {
			*rules = append(*rules, r)
		}
		return err
	})
	return rules
}
