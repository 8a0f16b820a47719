#!/usr/bin/env bash
# Installs the native libraries and servers the tests need, only if they are missing.
set -euo pipefail
missing=()
[ -e /usr/lib/x86_64-linux-gnu/libgmp.so.10 ] || ldconfig -p | grep -q 'libgmp.so.10 ' || missing+=(libgmp10)
[ -e /usr/lib/x86_64-linux-gnu/libsodium.so.23 ] || ldconfig -p | grep -q 'libsodium.so.23 ' || missing+=(libsodium23)
command -v mariadbd >/dev/null || [ -x /usr/sbin/mariadbd ] || missing+=(mariadb-server)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -q
  $sudo_cmd apt-get install -y -q "${missing[@]}"
fi

# Headless Chromium for tests/VerticalFL.BrowserTests: Debian's package, driven by Playwright through its
# ExecutablePath (Playwright never downloads a browser). Without recommends it is ~20 s and far smaller.
if ! command -v chromium >/dev/null; then
  echo "installing: chromium"
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -q
  $sudo_cmd apt-get install -y -q --no-install-recommends chromium
fi
