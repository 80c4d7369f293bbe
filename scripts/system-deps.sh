#!/usr/bin/env bash
# Install the Debian packages Indicia needs, once. Idempotent: installs only what is missing.
#   runtime: libmagic1 (media-type sniffing); Tesseract language data for OCR (the tesserocr
#            wheel bundles the engine; tesseract-ocr adds the command-line fallback)
#   tests:   postgresql (the suite runs every store test on a real server too);
#            fonts-wqy-microhei (draws the Chinese OCR test images)
# Run as root (as CI does); otherwise it prints the apt command to run and fails if
# something is missing.
set -euo pipefail

packages=(libmagic1 tesseract-ocr tesseract-ocr-eng tesseract-ocr-chi-sim tesseract-ocr-chi-tra
          tesseract-ocr-uig postgresql postgresql-contrib fonts-wqy-microhei)
missing=()
for pkg in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -ne 0 ]]; then
  echo "system-deps: missing Debian packages: ${missing[*]}" >&2
  echo "system-deps: run: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "system-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
