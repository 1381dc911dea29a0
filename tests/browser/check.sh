#!/usr/bin/env bash
# Open report.html in a real browser (headless Chromium) and check what a
# reader sees at 1280 px: every chart image decoded and drawn at a readable
# size, no horizontal overflow of the page, no table cell wrapped onto a
# second line. Keeps a screenshot of each page under target/browser-check/.
#
#   bash tests/browser/check.sh [path/to/regionsim]    (default target/release/regionsim)
#
# Needs `chromium` (Debian: apt-get install chromium). Exit 0 when every page
# passes, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${1:-target/release/regionsim}
OUT=target/browser-check
BROWSER=$(command -v chromium || command -v chromium-browser || true)
[ -n "$BROWSER" ] || { echo "browser check: chromium is required (apt-get install chromium)" >&2; exit 1; }
[ -x "$BIN" ] || { echo "browser check: $BIN not found; build it first (cargo build --release)" >&2; exit 1; }
rm -rf "$OUT" && mkdir -p "$OUT"
PROFILE=$(mktemp -d)
trap 'rm -rf "$PROFILE"' EXIT
browse() {
  timeout 120 "$BROWSER" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
    --user-data-dir="$PROFILE" --window-size=1280,2000 --virtual-time-budget=5000 "$@" 2>/dev/null
}

# Measured in the page once it has loaded; the result goes into an attribute
# of <html> that --dump-dom prints.
read -r -d '' PROBE <<'JS' || true
<script>
window.addEventListener('load', () => {
  const imgs = [...document.images];
  const svgs = [...document.querySelectorAll('figure svg')];
  const small = svgs.filter(s => { const r = s.getBoundingClientRect(); return r.width < 600 || r.height < 300; });
  const broken = imgs.filter(i => !i.complete || i.naturalWidth === 0);
  const wrapped = [...document.querySelectorAll('td')].filter(td =>
    td.getBoundingClientRect().height > 2.3 * parseFloat(getComputedStyle(td).fontSize));
  const result = {
    charts: svgs.length + imgs.length,
    broken: broken.length + small.length,
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    wrapped: wrapped.map(td => td.textContent).slice(0, 5),
  };
  document.documentElement.setAttribute('data-check', JSON.stringify(result));
});
</script>
JS

fail=0
check() { # name, scenario, extra run arguments...
  local name=$1 scenario=$2; shift 2
  local dir="$OUT/$name"
  "$BIN" run "$scenario" --out "$dir" --quiet "$@"
  local page="$dir/report.html" probe="$dir/report-probe.html"
  # The probe goes into a copy; the report itself carries no script.
  sed "s#</body>#${PROBE//$'\n'/ }</body>#" "$page" > "$probe"
  local dom result
  dom=$(browse --dump-dom "file://$PWD/$probe")
  result=$(printf '%s' "$dom" | grep -o 'data-check="[^"]*"' | head -1 | sed 's/^data-check="//; s/"$//; s/&quot;/"/g')
  browse --screenshot="$PWD/$OUT/$name.png" "file://$PWD/$page" >/dev/null
  if [ -z "$result" ]; then
    echo "browser check: $name: the page did not report (did it load?)" >&2; fail=1; return
  fi
  local charts broken overflow wrapped
  charts=$(printf '%s' "$result" | sed 's/.*"charts":\([0-9-]*\).*/\1/')
  broken=$(printf '%s' "$result" | sed 's/.*"broken":\([0-9-]*\).*/\1/')
  overflow=$(printf '%s' "$result" | sed 's/.*"overflow":\([0-9-]*\).*/\1/')
  wrapped=$(printf '%s' "$result" | sed 's/.*"wrapped":\(\[[^]]*\]\).*/\1/')
  local expected
  expected=$(ls "$dir"/*.svg | wc -l)
  echo "browser check: $name: $charts charts drawn (of $expected), $broken not decoded or too small, page $overflow px wider than 1280, wrapped cells $wrapped"
  [ "$charts" -eq "$expected" ] || fail=1
  [ "$broken" -eq 0 ] || fail=1
  [ "$overflow" -le 0 ] || fail=1
  [ "$wrapped" = "[]" ] || fail=1
}
check workers scenarios/livekit-workers.json --replications 2
check migration scenarios/livekit-migration.json --replications 2
if [ "$fail" -ne 0 ]; then
  echo "browser check: FAILED (screenshots in $OUT/)" >&2
  exit 1
fi
echo "browser check: passed (screenshots in $OUT/)"
