#!/usr/bin/env bash
# Fetches a second Docker Engine version for the test matrix without installing it: Debian
# trixie's docker.io (Engine 26.1, API 1.45) and its containerd, downloaded as .debs through a
# private apt configuration (the machine's sources are not touched) and unpacked with dpkg -x
# into <repo>/.berth-engines/26.1. Prints the folder. Idempotent: reuses an existing unpack.
#
# usage: scripts/harness/fetch-engine.sh [26.1]
set -euo pipefail

version=${1:-26.1}
[[ $version == 26.1 ]] || { echo "only Engine 26.1 (Debian trixie) is known" >&2; exit 2; }
repo=$(cd "$(dirname "$0")/../.." && pwd)
target=$repo/.berth-engines/$version
log() { printf '[berth-engine] %s\n' "$*" >&2; }

if [[ -x $target/usr/sbin/dockerd && -x $target/usr/bin/containerd ]]; then
  log "Engine $version already unpacked in $target"
  echo "$target"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work"/{lists/partial,cache/archives/partial,debs}
echo "deb http://deb.debian.org/debian trixie main" >"$work/sources.list"
apt_options=(
  -o "Dir::Etc::SourceList=$work/sources.list"
  -o "Dir::Etc::SourceParts=/dev/null"
  -o "Dir::State::Lists=$work/lists"
  -o "Dir::Cache=$work/cache"
  -o "APT::Sandbox::User=root"
)
log "fetching trixie's package lists (private apt state in $work)"
apt-get "${apt_options[@]}" -q update >&2
# runc stays the machine's own (bookworm): trixie's needs a newer libc. Engine 26.1 runs with it.
(cd "$work/debs" && apt-get "${apt_options[@]}" -q download docker.io containerd >&2)
rm -rf "$target.partial"
mkdir -p "$target.partial"
for deb in "$work"/debs/*.deb; do dpkg -x "$deb" "$target.partial"; done
mv "$target.partial" "$target"
log "Engine $("$target/usr/sbin/dockerd" --version) unpacked in $target"
echo "$target"
