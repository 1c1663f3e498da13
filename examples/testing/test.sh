#!/bin/sh
# Runs this module's `terraform test` against a Box API emulator of its own:
# a free loopback port, no conversion delay, the seeded users and files, and
# the test-only -auto-act signer the tests expect. Arguments go to
# `terraform test`. BOX_EMULATOR names the emulator (default: box-emulator on
# PATH), TERRAFORM the CLI (default: terraform). Run `terraform init` first.
set -eu

emulator=${BOX_EMULATOR:-box-emulator}
terraform=${TERRAFORM:-terraform}
out=$(mktemp)
"$emulator" -addr 127.0.0.1:0 -seed -conversion-delay 0 \
  -auto-act signer@example.com=sign@2s >"$out" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; rm -f "$out"' EXIT

# Ready once it prints `box-emulator listening on URL` (within 30 s).
url=
for _ in $(seq 300); do
  url=$(sed -n 's/^box-emulator listening on //p' "$out")
  [ -n "$url" ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
[ -n "$url" ] || { echo "the emulator did not start" >&2; exit 1; }

# The emulator's default client-credentials login, as its service account.
export BOX_API_BASE_URL="$url"
export BOX_CLIENT_ID=emulator-client-id
export BOX_CLIENT_SECRET=emulator-client-secret
export BOX_ENTERPRISE_ID=1000
"$terraform" test "$@"
