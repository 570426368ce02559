#!/usr/bin/env bash
# Debian packages the tests need: a real Samba AD DC (integration tests),
# OpenLDAP clients (ldapsearch/ldapmodify: exports and directory changes),
# ldb-tools (offline schema/fixture loading), poppler-utils (PDF checks),
# openssl (fixture certificates), libgssapi-krb5-2 (MIT GSSAPI: Kerberos binds, called
# through koffi), libfaketime (a client clock 2 h off, for the Kerberos clock-skew test),
# chromium (the HTML binder, checked in a real headless browser), fonts-droid-fallback and
# fonts-noto-core (fallback faces for Japanese/Chinese, Thai, Devanagari... in the PDF).
# Installs only what is missing.
set -euo pipefail
pkgs=(samba winbind ldb-tools ldap-utils poppler-utils openssl iproute2 libgssapi-krb5-2 libfaketime chromium fonts-droid-fallback fonts-noto-core)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing Debian packages: ${missing[*]}: run as root: apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi
