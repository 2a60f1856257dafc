#!/usr/bin/env bash
# Real participatory-budgeting rounds for tests/validation/test_pabulib.py, from the package registry.
#
# The PyPI package pabumeasures 0.2.2 (MIT; Dobranowski & Wiśniewski) distributes nine rounds of
# pabulib (http://pabulib.org; Faliszewski et al., IJCAI 2023) in its source archive's data/ folder.
# This downloads that archive from PyPI, checks its SHA-256 and unpacks the rounds into
# .venv/share/pabulib-pabumeasures/, or $PABULIB_REGISTRY_DIR (where the tests look too), with the
# package's LICENSE. The curated rounds the tests also need are shipped in tests/data/pabulib/;
# tests/data/README.md says why these are downloaded instead.
# Idempotent (nothing to do once unpacked); needs .venv (make setup). `make test-data` runs it, and
# `make test` runs that first.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=${PABULIB_REGISTRY_DIR:-.venv/share/pabulib-pabumeasures}
version=0.2.2
sha256=3bbd8c404dd37fea5d75304dd578bf213880be5627dfb2992ecc407b3ddb19c7
[ -f "$dest/.complete-$version" ] && exit 0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
.venv/bin/python -m pip download --quiet --disable-pip-version-check --no-deps --no-binary :all: \
  --dest "$tmp" "pabumeasures==$version"
echo "$sha256  $tmp/pabumeasures-$version.tar.gz" | sha256sum --check --quiet
rm -rf "$dest"
mkdir -p "$dest"
tar xzf "$tmp/pabumeasures-$version.tar.gz" -C "$tmp" "pabumeasures-$version/data" "pabumeasures-$version/LICENSE"
cp "$tmp/pabumeasures-$version"/data/*.pb "$tmp/pabumeasures-$version/LICENSE" "$dest/"
touch "$dest/.complete-$version"
echo "Test rounds: $(ls "$dest"/*.pb | wc -l) pabulib files from pabumeasures $version in $dest"
