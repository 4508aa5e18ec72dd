#!/usr/bin/env bash
# Set up everything the tests need on a fresh machine (Python packages, PostgreSQL, Chromium, Java), then run
# lint, type checks and the whole test suite against real data in ../shared.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh "web,postgres,dev,spark"
export HF_HUB_OFFLINE=1
if [ -z "${CORROBORATOR_TEST_PG:-}" ] && [ -f .ci/postgres.sh ]; then
  pg_env="$(bash .ci/postgres.sh)"   # its own line, so that set -e stops on a failed server start
  eval "$pg_env"
fi
if [ -f .ci/browser.sh ]; then
  bash .ci/browser.sh
fi
if [ -f .ci/java.sh ]; then
  bash .ci/java.sh   # a JDK for the Spark tests (local mode)
fi
.venv/bin/ruff check src tests bench training
.venv/bin/mypy
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
