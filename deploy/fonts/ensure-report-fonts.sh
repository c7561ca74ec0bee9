#!/usr/bin/env bash
# The fonts PDF reports embed (docs/REPORTS.md "Fonts"): TrueType files from Debian's packages, never
# copied into the repository. Installs them when missing and this runs as root with apt-get; otherwise
# fails with the exact command to run. Usage: ensure-report-fonts.sh [FONT_DIR]
set -euo pipefail
dir="${1:-/usr/share/fonts/truetype}"
packages="fonts-noto-core fonts-noto-mono fonts-droid-fallback fonts-nanum fonts-dejavu-core"
required=(
  noto/NotoSans-Regular.ttf noto/NotoSans-Bold.ttf noto/NotoSansMono-Regular.ttf
  noto/NotoSansArabic-Regular.ttf noto/NotoSansHebrew-Regular.ttf noto/NotoSansArmenian-Regular.ttf
  noto/NotoSansGeorgian-Regular.ttf noto/NotoSansThai-Regular.ttf noto/NotoSansDevanagari-Regular.ttf
  noto/NotoSansSymbols-Regular.ttf noto/NotoSansSymbols2-Regular.ttf
  droid/DroidSansFallbackFull.ttf nanum/NanumGothic.ttf dejavu/DejaVuSans.ttf
)
missing() {
  for f in "${required[@]}"; do [[ -f "$dir/$f" ]] || echo "$dir/$f"; done
}
if [[ -z "$(missing)" ]]; then
  exit 0
fi
if [[ "$dir" == /usr/share/fonts/truetype && "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
  echo "report fonts missing; installing $packages from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends $packages >/dev/null \
    || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends $packages >/dev/null; }
fi
if [[ -n "$(missing)" ]]; then
  echo "PDF report fonts are missing:" >&2
  missing >&2
  echo "Install them with: sudo apt-get install -y $packages" >&2
  exit 1
fi
