#!/usr/bin/env bash
# Test certificates for Berth's TLS tests (the harness engine's TLS listener and
# the unit tests of @berth/transport-tcp). Nothing here is meant for real use.
#
#   tls.sh certs <dir>   (re)generate every file below into <dir> and print <dir>
#
# Files, PEM, EC P-256 keys (fast to generate):
#   ca.pem ca-key.pem                   the harness CA
#   server-cert.pem server-key.pem      server, SAN IP:127.0.0.1 + DNS:localhost
#   cert.pem key.pem                    client (extendedKeyUsage clientAuth); with
#                                       ca.pem this is a Docker DOCKER_CERT_PATH
# For fault tests:
#   other-ca.pem other-ca-key.pem       a second, unrelated CA
#   other-client-cert.pem other-client-key.pem   client cert issued by the other CA
#   expired-cert.pem expired-key.pem    server cert (right SAN, our CA) valid only in 2020
#   wrong-san-cert.pem wrong-san-key.pem   server cert (our CA) for wrong.example / 192.0.2.1
#   self-signed-cert.pem self-signed-key.pem   server cert signed by itself (right SAN)
#
# Works with Debian 12's OpenSSL 3.0: `openssl x509` there has no -not_before, so the
# expired certificate is issued with `openssl ca -startdate/-enddate` instead.
set -euo pipefail

log() { printf '[berth-tls] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

usage() {
  echo "usage: $0 certs <dir>" >&2
  exit 2
}

DAYS=3650

new_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

# new_ca <name> <subject>
new_ca() {
  new_key "$DIR/$1-key.pem"
  openssl req -x509 -new -key "$DIR/$1-key.pem" -sha256 -days "$DAYS" -subj "$2" \
    -addext 'basicConstraints=critical,CA:TRUE' \
    -addext 'keyUsage=critical,keyCertSign,cRLSign' \
    -out "$DIR/$1.pem"
}

# Extensions of leaf certificates; section names are used with -extensions.
write_extensions() {
  cat >"$WORK/ext.cnf" <<'EOF'
[server]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1,DNS:localhost

[wrong_san]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:wrong.example,IP:192.0.2.1

[client]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
EOF
}

# new_leaf <key> <cert> <subject> <extension section> <ca name>
new_leaf() {
  new_key "$DIR/$1"
  openssl req -new -key "$DIR/$1" -subj "$3" -out "$WORK/leaf.csr"
  openssl x509 -req -in "$WORK/leaf.csr" -CA "$DIR/$5.pem" -CAkey "$DIR/$5-key.pem" \
    -CAcreateserial -CAserial "$WORK/$5.srl" -sha256 -days "$DAYS" \
    -extfile "$WORK/ext.cnf" -extensions "$4" -out "$DIR/$2" 2>/dev/null
}

# A server certificate whose validity ended long ago. `openssl ca` is the one
# OpenSSL 3.0 command that takes explicit start and end dates.
new_expired() {
  new_key "$DIR/expired-key.pem"
  openssl req -new -key "$DIR/expired-key.pem" -subj '/CN=berth-test-expired' -out "$WORK/expired.csr"
  : >"$WORK/index.txt"
  echo 1000 >"$WORK/serial"
  cat >"$WORK/ca.cnf" <<EOF
[ca]
default_ca = harness_ca

[harness_ca]
database = $WORK/index.txt
new_certs_dir = $WORK
serial = $WORK/serial
default_md = sha256
policy = policy_any
unique_subject = no

[policy_any]
commonName = supplied
EOF
  openssl ca -batch -notext -config "$WORK/ca.cnf" -cert "$DIR/ca.pem" -keyfile "$DIR/ca-key.pem" \
    -startdate 20200101000000Z -enddate 20200102000000Z \
    -extfile "$WORK/ext.cnf" -extensions server \
    -in "$WORK/expired.csr" -out "$DIR/expired-cert.pem" 2>/dev/null
}

new_self_signed() {
  new_key "$DIR/self-signed-key.pem"
  openssl req -x509 -new -key "$DIR/self-signed-key.pem" -sha256 -days "$DAYS" \
    -subj '/CN=berth-test-self-signed' \
    -addext 'subjectAltName=IP:127.0.0.1,DNS:localhost' \
    -addext 'extendedKeyUsage=serverAuth' \
    -out "$DIR/self-signed-cert.pem"
}

do_certs() {
  command -v openssl >/dev/null || die "openssl not found; run scripts/harness/install-deps.sh"
  mkdir -p "$DIR"
  DIR=$(cd "$DIR" && pwd)
  WORK=$(mktemp -d)
  trap 'rm -rf "$WORK"' EXIT
  write_extensions

  new_ca ca '/CN=Berth Test CA'
  new_ca other-ca '/CN=Berth Unrelated Test CA'
  new_leaf server-key.pem server-cert.pem '/CN=localhost' server ca
  new_leaf key.pem cert.pem '/CN=berth-test-client' client ca
  new_leaf other-client-key.pem other-client-cert.pem '/CN=berth-test-other-client' client other-ca
  new_leaf wrong-san-key.pem wrong-san-cert.pem '/CN=wrong.example' wrong_san ca
  new_expired
  new_self_signed

  # Keys readable by the owner only, like the Docker CLI expects of DOCKER_CERT_PATH.
  chmod 600 "$DIR"/*-key.pem "$DIR/key.pem"
  echo "$DIR"
}

case ${1:-} in
  certs)
    [[ -n ${2:-} ]] || usage
    DIR=$2
    do_certs
    ;;
  *) usage ;;
esac
