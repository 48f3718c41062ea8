# shellcheck shell=bash
# Sourced by .ci/run (as root, on a fresh Debian machine): installs Debian's chromium for the
# server's browser tests (Playwright drives /usr/bin/chromium; its own browser download does not
# work here) and exports OA_REQUIRE_BROWSER=1, so that a missing browser fails those tests instead
# of skipping them. Idempotent: with chromium installed it only exports the variable.

oa_chromium_setup() {
  if [ ! -x /usr/bin/chromium ]; then
    echo "chromium.sh: installing chromium"
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y --no-install-recommends chromium; then
      apt-get update && apt-get install -y --no-install-recommends chromium || {
        echo "chromium.sh: apt-get install chromium failed" >&2; return 1; }
    fi
  fi
  [ -x /usr/bin/chromium ] || { echo "chromium.sh: no /usr/bin/chromium after installing chromium" >&2; return 1; }
  export OA_REQUIRE_BROWSER=1
  echo "chromium.sh: $(/usr/bin/chromium --version 2>/dev/null | head -n 1); OA_REQUIRE_BROWSER=1"
}

oa_chromium_setup
