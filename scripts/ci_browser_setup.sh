#!/usr/bin/env bash
# Sets up what the browser tests (tests/apps/dashboard/test_browser.py, tests/apps/test_report.py)
# and an offline dashboard need, on a fresh machine; `make browser` runs it, and `make test` runs
# that first. Idempotent: when everything is there it only checks (a second or two).
#
# 1. Debian's chromium (driven by Playwright from PyPI; Playwright's own browser download
#    does not work on these machines, and is not needed). Installed with apt-get, so it needs
#    root (or sudo without a password) and Debian's package archive; without them the script
#    stops with an error (or, with TESTS_ALLOW_SKIPS=1, a development shortcut, only warns: the
#    browser tests are then skipped; see tests/resources.py).
# 1b. Debian's poppler-utils (pdftoppm): the report's printing test (tests/apps/test_report_print.py)
#    draws every page of the printed PDF as a PNG with it; without it the test falls back on
#    chromium's own PDF viewer, which is slower and needs a longer wait per page.
# 2. Solara's CDN cache: Solara loads its JavaScript and CSS from a CDN at run time, through a
#    caching proxy under <venv>/share/solara/cdn/. We fill that cache from the npm registry
#    (`npm pack`; npm itself is installed with apt-get when missing), so the dashboard works
#    without internet (a municipal network, a training room, CI). The packages and versions are
#    read from the installed Solara itself, so a Solara upgrade picks up the right versions.
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

# apt_install PACKAGE WHY: installs a Debian package as root (or through sudo without a password).
apt_updated=0
apt_install() {
  local as_root=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then as_root=(sudo -n); else return 1; fi
  fi
  command -v apt-get >/dev/null 2>&1 || return 1
  echo "Installing Debian's $1 (apt-get), $2"
  if [ "$apt_updated" = 0 ]; then "${as_root[@]}" apt-get update -qq; apt_updated=1; fi
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null
}

# --- 1. chromium ---------------------------------------------------------------------------
if [ "$browser" = 1 ] && ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
  if ! apt_install chromium "for the browser tests"; then
    msg="chromium is not installed and cannot be installed here (apt-get needs root or sudo); install Debian's chromium (apt-get install chromium)"
    if [ -n "${TESTS_ALLOW_SKIPS:-}" ] && [ "${TESTS_ALLOW_SKIPS}" != 0 ] && [ "${CI:-}" != true ]; then
      echo "warning: $msg; TESTS_ALLOW_SKIPS is set, so the browser tests will be skipped" >&2
    else
      echo "error: $msg, or set TESTS_ALLOW_SKIPS=1 to skip the browser tests on a development machine" >&2
      exit 1
    fi
  fi
fi

# --- 1b. pdftoppm (poppler-utils) for the pages of the printed report ------------------------
if [ "$browser" = 1 ] && ! command -v pdftoppm >/dev/null 2>&1; then
  apt_install poppler-utils "to draw the printed report's pages in the tests" \
    || echo "warning: pdftoppm (poppler-utils) cannot be installed here; the report's printing test uses chromium's PDF viewer" >&2
fi

# --- 2. Solara's CDN cache -----------------------------------------------------------------
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
todo=()
for pkg in "${lines[@]:1}"; do
  [ -f "$cache/$pkg/.from-npm" ] || todo+=("$pkg")
done
if [ "${#todo[@]}" -gt 0 ] && ! command -v npm >/dev/null 2>&1; then
  apt_install npm "to fetch Solara's assets from the npm registry" ||
    { echo "error: npm is needed to fetch Solara's assets (apt-get install npm; needs root)" >&2; exit 1; }
fi
mkdir -p "$cache"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for pkg in "${todo[@]}"; do
  dest="$cache/$pkg"
  echo "Filling Solara's CDN cache: $pkg"
  tarball=$(cd "$tmp" && npm pack --silent "$pkg" | tail -n 1)
  rm -rf "$dest"
  mkdir -p "$dest"
  tar -xzf "$tmp/$tarball" --strip-components=1 -C "$dest"
  touch "$dest/.from-npm"
done
echo "Browser setup done: chromium $(command -v chromium || command -v chromium-browser || echo 'not installed'), Solara's offline assets in $cache"
