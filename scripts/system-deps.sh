#!/usr/bin/env bash
# Installs the system packages the test suite needs (Debian), only when missing.
# Nothing is downloaded outside the distribution's package registry.
set -euo pipefail
need=()
# Headless Chromium for the browser tests (tests/browser, driven by Playwright with
# executable_path=/usr/bin/chromium; Playwright's own browser download is never used).
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# Java for local Spark (tests/link/test_link_spark.py runs Splink's Spark backend).
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
# (later: postgresql for the server store)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != "0" ]; then
    echo "system-deps: missing ${need[*]}; run as root or install them" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
