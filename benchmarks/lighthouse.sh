#!/usr/bin/env bash
# Lighthouse category scores (performance, accessibility, best practices, SEO) for the built
# book's landing page and one chapter, offline, in Debian's Chromium.
#
#   bash benchmarks/lighthouse.sh [HTML_DIR] [CHAPTER]
#
# HTML_DIR defaults to _build/html; CHAPTER to chapters/sources.html. Lighthouse is not a
# dependency of the project: it is installed with npm into benchmarks/runs/lighthouse on
# first use (benchmarks/runs/ is ignored by git). Reports go to benchmarks/runs/.
set -euo pipefail
cd "$(dirname "$0")/.."
html_dir=$(realpath "${1:-_build/html}")
chapter=${2:-chapters/sources.html}
runs=benchmarks/runs
tool=$runs/lighthouse
mkdir -p "$runs"
if [ ! -x "$tool/node_modules/.bin/lighthouse" ]; then
  mkdir -p "$tool"
  (cd "$tool" && npm init -y >/dev/null && npm install --no-audit --no-fund --silent lighthouse@12.8.2)
fi
port=$(.venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
.venv/bin/python -m http.server "$port" --bind 127.0.0.1 --directory "$html_dir" >/dev/null 2>&1 &
server=$!
trap 'kill "$server"' EXIT
sleep 1
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
flags="--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync"
stamp=$(date +%Y%m%d-%H%M%S)
for page in chapters/index.html "$chapter"; do
  name=$(basename "$page" .html)
  out="$runs/lighthouse-$stamp-$name.json"
  "$tool/node_modules/.bin/lighthouse" "http://127.0.0.1:$port/$page" --quiet \
    --chrome-flags="$flags" --output=json --output-path="$out" \
    --only-categories=performance,accessibility,best-practices,seo >/dev/null 2>&1 || true
  .venv/bin/python - "$out" "$page" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
scores = {key: round(100 * (cat["score"] or 0)) for key, cat in report["categories"].items()}
failed = [audit["id"] for audit in report["audits"].values()
          if audit.get("score") is not None and audit["score"] < 0.9 and audit.get("scoreDisplayMode") in ("binary", "numeric")]
weight = report["audits"].get("total-byte-weight", {}).get("numericValue")
print(sys.argv[2], scores, f"bytes={int(weight) if weight else '?'}", "below 0.9:", ",".join(sorted(failed)))
PY
done
