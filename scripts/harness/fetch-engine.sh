#!/usr/bin/env bash
# Fetches another Docker Engine version for the test matrix without installing it: Debian's
# docker.io and containerd of a newer suite, downloaded as .debs through a private apt
# configuration (the machine's sources are not touched) and unpacked with dpkg -x into
# <repo>/.berth-engines/<version>. Prints the folder. Idempotent: reuses an existing unpack.
#
#   26.1  Debian trixie: Engine 26.1 (API 1.45), containerd 1.7
#   28.5  Debian sid:    Engine 28.5 (API 1.51), containerd 2.1, and the docker CLI 28.5
#         (docker-cli; it knows `docker image ls --tree` and `--platform` on save/load)
#
# runc stays the machine's own (bookworm) for both: the newer suites' runc needs a newer glibc.
# Debian keeps one version per suite: when sid has moved past 28.5 this fails with what sid
# carries now instead of unpacking another version under the 28.5 name.
#
# usage: scripts/harness/fetch-engine.sh [26.1|28.5]
set -euo pipefail

version=${1:-26.1}
case $version in
  26.1) suite=trixie packages=(docker.io containerd) ;;
  28.5) suite=sid packages=(docker.io docker-cli containerd) ;;
  *) echo "unknown engine version '$version' (known: 26.1 from Debian trixie, 28.5 from Debian sid)" >&2; exit 2 ;;
esac
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
echo "deb http://deb.debian.org/debian $suite main" >"$work/sources.list"
apt_options=(
  -o "Dir::Etc::SourceList=$work/sources.list"
  -o "Dir::Etc::SourceParts=/dev/null"
  -o "Dir::State::Lists=$work/lists"
  -o "Dir::Cache=$work/cache"
  -o "APT::Sandbox::User=root"
)
log "fetching $suite's package lists (private apt state in $work)"
apt-get "${apt_options[@]}" -q update >&2

# The engine must be the version asked for: the suite's candidate is the only one it offers.
candidate=$(apt-cache "${apt_options[@]}" show docker.io 2>/dev/null | sed -n 's/^Version: //p' | sort -V | tail -n 1)
[[ $candidate == "$version".* ]] || {
  log "error: Debian $suite now carries docker.io ${candidate:-(none)}, not $version.x."
  log "Older builds are only on snapshot.debian.org; pick another engine version in scripts/harness/fetch-engine.sh."
  exit 1
}
(cd "$work/debs" && apt-get "${apt_options[@]}" -q download "${packages[@]}" >&2)
rm -rf "$target.partial"
mkdir -p "$target.partial"
for deb in "$work"/debs/*.deb; do dpkg -x "$deb" "$target.partial"; done
mv "$target.partial" "$target"
log "Engine $("$target/usr/sbin/dockerd" --version) unpacked in $target"
echo "$target"
