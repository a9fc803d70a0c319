#!/usr/bin/env bash
# Installs what the real-engine test harness (engine.sh) needs on Debian.
# Idempotent: when everything is present it only runs dpkg-query and exits.
set -euo pipefail

PNPM_VERSION=10.34.9

# dockerd/containerd/runc come from docker.io; the rest are used by engine.sh
# (registry, seed rootfs, curl on the socket) and by tests (TLS, sshd, htpasswd).
PACKAGES=(docker.io docker-registry busybox-static curl openssl openssh-server apache2-utils)
# podman.sh: Podman's Docker-compatible API as a fourth engine.
PACKAGES+=(podman)

log() { printf '[berth-harness] %s\n' "$*" >&2; }

is_installed() {
  [[ $(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true) == installed ]]
}

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

missing=()
for pkg in "${PACKAGES[@]}"; do
  is_installed "$pkg" || missing+=("$pkg")
done

if ((${#missing[@]})); then
  log "installing missing Debian packages: ${missing[*]}"
  # Keep package postinst scripts from starting system services (a system
  # dockerd on /var/run/docker.sock, a registry on :5000, sshd on :22): the
  # harness runs its own throwaway instances instead. Only done when the
  # machine has no policy-rc.d of its own.
  policy=/usr/sbin/policy-rc.d
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' | as_root tee "$policy" >/dev/null
    as_root chmod 755 "$policy"
    trap 'as_root rm -f "$policy"' EXIT
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
    --no-install-recommends "${missing[@]}"
else
  log "Debian packages already installed"
fi

# --- Examples' end-to-end tools: tmux (berth-images in a pseudo-terminal) and Debian's chromium
# (the dashboard in a browser, driven by playwright-core, which downloads nothing). chromium is
# large (~300 MB with its libraries): BERTH_HARNESS_NO_BROWSER=1 skips it (example.sh does).
example_tools=()
is_installed tmux || example_tools+=(tmux)
if [[ -z ${BERTH_HARNESS_NO_BROWSER:-} ]] && ! is_installed chromium; then example_tools+=(chromium); fi
if ((${#example_tools[@]})); then
  log "installing the examples' test tools: ${example_tools[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${example_tools[@]}"
else
  log "examples' test tools already installed"
fi
# --- end of the examples' block -----------------------------------------------------------------

# pnpm: the repo pins pnpm@$PNPM_VERSION (package.json packageManager).
# Check from / so a corepack shim does not act on the repo's packageManager.
pnpm_version=$(cd / || exit 0; pnpm --version 2>/dev/null || true)
if [[ ${pnpm_version%%.*} != "${PNPM_VERSION%%.*}" ]]; then
  command -v npm >/dev/null || { log "error: npm not found; install Node.js >= 20 first"; exit 1; }
  log "installing pnpm@$PNPM_VERSION (found: ${pnpm_version:-none})"
  as_root npm i -g "pnpm@$PNPM_VERSION"
else
  log "pnpm $pnpm_version available"
fi
