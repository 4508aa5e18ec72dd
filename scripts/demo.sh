#!/usr/bin/env bash
# Set up, then run the main job on the bundled fictional example corpus: ingest examples/ into an embedded
# SQLite file (example.db), group the articles into stories and print the brief of each story.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh "${EXTRAS:-web}"
rm -f example.db example.db-wal example.db-shm
export HF_HUB_OFFLINE=1
.venv/bin/corroborator analyse examples --db example.db "$@"
