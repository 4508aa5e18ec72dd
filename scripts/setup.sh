#!/usr/bin/env bash
# Create .venv (if missing) and install corroborator with the given extras (default: all of them).
# Safe to run again: pip only installs what changed.
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-web,postgres,dev}"
python="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[${extras}]"
