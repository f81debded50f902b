#!/usr/bin/env bash
# Makes a local certificate authority and certificates for a TLS-enabled Zafka (or Kafka) on this
# machine, with openssl only (no Java keytool):
#   ca.pem / ca.key                     the CA (clients trust ca.pem: kcat -X ssl.ca.location=ca.pem)
#   broker.pem / broker.key             the broker's certificate, SAN IP:127.0.0.1 and DNS:localhost
#                                       (plus any names given in ZAFKA_CERT_SANS, e.g. "DNS:kafka1,IP:10.0.0.5")
#   broker.keystore.p12                 ssl.keystore.type=PKCS12 (key + chain), password $PASSWORD
#   broker.keystore.pem                 ssl.keystore.type=PEM (key + chain in one file, unencrypted)
#   truststore.p12 / truststore.pem     ssl.truststore.type=PKCS12 / PEM: the CA certificate
#   client.pem / client.key / client.keystore.p12
#                                       a client certificate (CN=client,OU=clients,O=Zafka) for
#                                       ssl.client.auth=required; its principal is User:CN=client,OU=clients,O=Zafka
# Usage: scripts/make-local-ca.sh [DIR (default ./secrets)] [PASSWORD (default zafka-secret)] [DAYS (default 365)]
set -euo pipefail

DIR=${1:-./secrets}
PASSWORD=${2:-zafka-secret}
DAYS=${3:-365}
SANS="IP:127.0.0.1,DNS:localhost${ZAFKA_CERT_SANS:+,$ZAFKA_CERT_SANS}"

mkdir -p "$DIR"
cd "$DIR"
export PASSWORD

# The CA.
openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days "$DAYS" \
  -keyout ca.key -out ca.pem -subj "/O=Zafka/CN=Zafka Local CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null

# sign NAME SUBJECT EXTENSIONS: a key and a certificate signed by the CA.
sign() {
  local name=$1 subject=$2 ext=$3
  openssl req -newkey rsa:2048 -nodes -sha256 -keyout "$name.key" -out "$name.csr" -subj "$subject" 2>/dev/null
  printf '%b' "$ext" > "$name.ext"
  openssl x509 -req -in "$name.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days "$DAYS" -sha256 \
    -out "$name.pem" -extfile "$name.ext" 2>/dev/null
  rm -f "$name.csr" "$name.ext"
}

sign broker "/O=Zafka/CN=localhost" "subjectAltName=$SANS\nextendedKeyUsage=serverAuth,clientAuth\n"
sign client "/O=Zafka/OU=clients/CN=client" "extendedKeyUsage=clientAuth\n"

# Keystores (PKCS12 and PEM) and truststores.
openssl pkcs12 -export -in broker.pem -inkey broker.key -certfile ca.pem -name broker \
  -out broker.keystore.p12 -passout env:PASSWORD
cat broker.key broker.pem ca.pem > broker.keystore.pem
openssl pkcs12 -export -in client.pem -inkey client.key -certfile ca.pem -name client \
  -out client.keystore.p12 -passout env:PASSWORD
openssl pkcs12 -export -nokeys -in ca.pem -name ca -out truststore.p12 -passout env:PASSWORD
cp ca.pem truststore.pem
chmod 600 ./*.key ./*.p12 broker.keystore.pem

echo "Made a CA and certificates in $(pwd) (store password: $PASSWORD)"
