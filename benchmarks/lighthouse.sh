#!/usr/bin/env bash
# Lighthouse (mobile preset, simulated throttling) on every page of a built book, served
# gzip-compressed as a web host serves it (benchmarks/gzip_server.py), offline, in Debian's Chromium.
#
#   bash benchmarks/lighthouse.sh [HTML_DIR] [LABEL] [PAGE...]
#
# HTML_DIR defaults to _build/html, LABEL to "latest"; PAGEs (chapters/glossary.html ...) measure
# only those pages, to run low scorers again (benchmarks/lighthouse.py median). Lighthouse is a devDependency in
# package.json (`npm ci`). The reports and a summary (benchmarks/runs/lighthouse-LABEL.json, read
# by `benchmarks/lighthouse.py compare BEFORE AFTER`) go to benchmarks/runs/; the table is printed.
set -euo pipefail
cd "$(dirname "$0")/.."
html_dir=$(realpath "${1:-_build/html}")
label=${2:-latest}
shift $(($# < 2 ? $# : 2))
tool=node_modules/.bin/lighthouse
[ -x "$tool" ] || { echo "Lighthouse is missing: run npm ci in the project folder" >&2; exit 1; }
runs=benchmarks/runs/lighthouse-$label
rm -rf "$runs" && mkdir -p "$runs"
port=$(.venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
.venv/bin/python benchmarks/gzip_server.py "$html_dir" "$port" &
server=$!
trap 'kill "$server"' EXIT
sleep 1
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
flags="--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync"
# Every page a reader opens; index.html is only Jupyter Book's redirect to the first chapter.
pages=${*:-$(cd "$html_dir" && find . -name '*.html' -not -path './_*' -not -name index.html -printf '%P\n' | sort)}
for page in $pages; do
  # Lighthouse's default configuration is the mobile preset with simulated throttling.
  "$tool" "http://127.0.0.1:$port/$page" --quiet --chrome-flags="$flags" \
    --output=json --output-path="$runs/$(echo "$page" | tr / _).json" \
    --only-categories=performance,accessibility,best-practices,seo >/dev/null 2>&1 \
    || echo "Lighthouse failed on $page" >&2
done
.venv/bin/python benchmarks/lighthouse.py summary "$runs" "benchmarks/runs/lighthouse-$label.json"
