#!/usr/bin/env bash
# Sets up what the dashboard's browser test (tests/apps/dashboard/test_browser.py) and an offline
# dashboard need, on a fresh machine; idempotent and fast when everything is already there.
#
# 1. Debian's chromium (driven by Playwright from PyPI; Playwright's own browser download
#    does not work on these machines, and is not needed).
# 2. Solara's CDN cache: Solara loads its JavaScript and CSS from a CDN at run time, through a
#    caching proxy under <venv>/share/solara/cdn/. We fill that cache from the npm registry
#    (`npm pack`), so the dashboard works without internet (a municipal network, a training
#    room, CI). The packages and versions are read from the installed Solara itself, so a
#    Solara upgrade picks up the right versions.
#
# Usage: scripts/ci_browser_setup.sh [--assets-only] [venv]   (default venv: .venv)
#   --assets-only: only Solara's offline assets (what `make dashboard` needs), no browser.
set -euo pipefail
cd "$(dirname "$0")/.."
browser=1
if [ "${1:-}" = "--assets-only" ]; then browser=0; shift; fi
venv=${1:-.venv}
py="$venv/bin/python"
[ -x "$py" ] || { echo "error: $py not found; run 'make setup' first" >&2; exit 1; }

# --- 1. chromium ---------------------------------------------------------------------------
if [ "$browser" = 1 ] && ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's chromium (apt)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "warning: chromium is not installed and cannot be installed here (needs root and apt);" \
         "the browser test will be skipped" >&2
  fi
fi

# --- 2. Solara's CDN cache -----------------------------------------------------------------
if ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing npm (apt), to fetch Solara's assets from the npm registry"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
  else
    echo "error: npm is needed to fetch Solara's assets (apt-get install npm)" >&2
    exit 1
  fi
fi
# Lines "<cache dir>" then "<package>@<version>" for every CDN package the installed Solara uses.
mapfile -t lines < <("$py" - <<'PY'
import pathlib
import re

import solara
from solara.server import settings

root = pathlib.Path(solara.__file__).parent
print(settings.assets.proxy_cache_dir)
pattern = re.compile(r"(?:\{\{cdn\}\}|getCdn\(\)\}|cdn\}|^)/?((?:@[\w.-]+/)?[\w.-]+)@(\d+\.\d+\.\d+[\w.+-]*)/")
found = set()
files = [root / "server/templates/solara.html.j2", *(root / "widgets/vue").glob("*.vue"),
         *(root / "components").glob("*.vue")]
for f in files:
    for m in pattern.finditer(f.read_text()):
        found.add(f"{m.group(1)}@{m.group(2)}")
found.add(settings.assets.fontawesome_path.strip("/").split("/")[0])
# The Vue 3 app is only used with ipyvue >= 3, which the project pins away (see STACK-NOTES).
found = {p for p in found if "vuetify3" not in p}
print("\n".join(sorted(found)))
PY
)
cache=${lines[0]}
mkdir -p "$cache"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for pkg in "${lines[@]:1}"; do
  dest="$cache/$pkg"
  if [ -f "$dest/.from-npm" ]; then
    continue
  fi
  echo "Filling Solara's CDN cache: $pkg"
  tarball=$(cd "$tmp" && npm pack --silent "$pkg" | tail -n 1)
  rm -rf "$dest"
  mkdir -p "$dest"
  tar -xzf "$tmp/$tarball" --strip-components=1 -C "$dest"
  touch "$dest/.from-npm"
done
echo "Browser setup done: chromium $(command -v chromium || echo 'not installed'), Solara's offline assets in $cache"
