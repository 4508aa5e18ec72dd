#!/usr/bin/env bash
# A Java runtime for the Spark tests (pyspark runs Spark in a local JVM): Debian's openjdk-17-jre-headless
# where `java` is missing. Safe to run twice; needs root for apt-get (the Spark tests skip without Java).
set -euo pipefail
if command -v java >/dev/null 2>&1 && java -version >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "Spark tests need Java 17: run 'sudo apt-get install -y openjdk-17-jre-headless' (they skip otherwise)" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# The JRE's post-install step expects the man page folder that slim images leave out.
mkdir -p /usr/share/man/man1
apt-get install -y -qq openjdk-17-jre-headless >/dev/null
java -version 2>&1 | head -1 >&2
