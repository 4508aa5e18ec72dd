#!/usr/bin/env bash
# Make sure a Java runtime is present for the Spark tests (pyspark runs Spark in a local JVM).
# Debian's openjdk-17-jre-headless where `java` is missing; nothing to do where one is installed.
set -euo pipefail
if command -v java >/dev/null 2>&1 && java -version >/dev/null 2>&1; then
  exit 0
fi
if command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq openjdk-17-jre-headless >/dev/null
else
  echo "no java and no apt-get: install a Java 17 runtime for the Spark tests" >&2
  exit 1
fi
java -version 2>&1 | head -1 >&2
