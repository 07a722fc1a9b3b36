#!/usr/bin/env bash
# Installs the system tools the tests drive: Debian's Chromium (browser tests, via
# Playwright's Python client), Java (the Nu Html Checker) and the npm test tools (axe-core,
# vnu-jar, Lighthouse).
# Idempotent and quiet when everything is present. Needs root (CI and the dev machines are).
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v java >/dev/null 2>&1 || need_apt+=(default-jre-headless)
command -v node >/dev/null 2>&1 || need_apt+=(nodejs npm)
# Fonts so that screenshots show real glyphs (Chromium falls back to boxes without any).
fc-list 2>/dev/null | grep -qi "dejavu" || need_apt+=(fonts-dejavu-core)

if [ ${#need_apt[@]} -gt 0 ]; then
  echo "install-system-deps: installing ${need_apt[*]} with apt-get"
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "install-system-deps: npm ci (axe-core, vnu-jar, lighthouse)"
  # --ignore-scripts: vnu-jar's postinstall would fetch a Java runtime when none is found;
  # Java comes from apt above, and no other package needs an install script.
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
fi
