#!/usr/bin/env bash
# Creates .venv with Python >= 3.12 and installs the locked dependencies plus the project.
# Idempotent: does nothing when .venv is up to date with requirements.lock and pyproject.toml.
set -euo pipefail
cd "$(dirname "$0")/.."

find_python() {
  local candidates=()
  [ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
  candidates+=(python3.12 python3.13)
  if command -v pyenv >/dev/null 2>&1; then
    local root; root=$(pyenv root)
    for v in "$root"/versions/3.12* "$root"/versions/3.13*; do
      [ -x "$v/bin/python" ] && candidates+=("$v/bin/python")
    done
  fi
  candidates+=(python3)
  for c in "${candidates[@]}"; do
    if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import sys; sys.exit(0 if (3, 12) <= sys.version_info[:2] < (3, 14) else 1)' 2>/dev/null; then
      command -v "$c"; return 0
    fi
  done
  echo "error: coproduction-sim needs Python 3.12 or 3.13 (Mesa 3.5 and Hydra 1.3); none found. Install one (e.g. 'pyenv install 3.12') or set PYTHON=/path/to/python3.12." >&2
  return 1
}

stamp=.venv/.installed
if [ -f "$stamp" ] && [ "$stamp" -nt requirements.lock ] && [ "$stamp" -nt pyproject.toml ]; then
  exit 0
fi
py=$(find_python)
if [ ! -x .venv/bin/python ]; then
  echo "Creating .venv with $py ($("$py" --version))"
  "$py" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
# An editable install leaves the package uncompiled, and with PYTHONDONTWRITEBYTECODE set every
# process (each sweep worker too) would compile sim/ again: ~70 ms per process start.
.venv/bin/python -m compileall -q sim >/dev/null
touch "$stamp"
