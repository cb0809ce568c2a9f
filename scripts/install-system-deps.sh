#!/usr/bin/env bash
# Installs the Debian packages teipress's tests need, only those missing:
#   chromium            browser tests (Playwright drives Debian's build; no browser download)
#   poppler-utils       pdftotext / pdftoppm for PDF text extraction and page images
#   default-jre-headless  the Nu HTML Checker (vnu.jar, from npm) runs on Java
#   nodejs, npm         axe-core and vnu-jar come from the npm registry
# Usage: scripts/install-system-deps.sh   (needs root, or sudo)
set -euo pipefail

need=()
command -v chromium  >/dev/null 2>&1 || need+=(chromium)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v java      >/dev/null 2>&1 || need+=(default-jre-headless)
command -v node      >/dev/null 2>&1 || need+=(nodejs)
command -v npm       >/dev/null 2>&1 || need+=(npm)

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
echo "installing Debian packages: ${need[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
