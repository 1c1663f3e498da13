// Package reliability runs the provider's reliability and security
// scenarios: real terraform, the provider binary and the Box API emulator
// command, with faults injected through the emulator's /_emulator controls.
// Each scenario checks what a user of Box would see afterwards (how many
// sign requests exist, whether any was sent twice, how often each signer
// was emailed, whether a secret leaked) and the run prints one table.
//
// It is driven by the command in internal/cmd/reliability (`make
// reliability`); it shares no code with the provider's tests, so that it
// sees the provider only from the outside, as a user does.
package reliability
