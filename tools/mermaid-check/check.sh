#!/usr/bin/env bash
# Renders every ```mermaid block of a Markdown report (`autogen diff --format markdown`) with
# Mermaid in headless Chromium, as GitHub would, and fails when one does not render.
# Needs: chromium (Debian's package) and npm (mermaid is installed here on first use).
#   tools/mermaid-check/check.sh report.md [out-dir]     # writes out-dir/diagram-N.png
set -euo pipefail
report=${1:?usage: check.sh report.md [out-dir]}
out=${2:-$(mktemp -d)}
here=$(cd "$(dirname "$0")" && pwd)
if [ ! -f "$here/node_modules/mermaid/dist/mermaid.min.js" ]; then
  (cd "$here" && npm install --no-save --silent mermaid@11 >/dev/null)
fi
mkdir -p "$out"
python3 - "$report" "$out" "$here" <<'PY'
import html, pathlib, re, sys
report, out, here = sys.argv[1], pathlib.Path(sys.argv[2]), sys.argv[3]
blocks = re.findall(r"```mermaid\n(.*?)```", pathlib.Path(report).read_text(), re.S)
if not blocks:
    sys.exit(f"no mermaid block in {report}")
for n, block in enumerate(blocks, 1):
    (out / f"diagram-{n}.html").write_text(f"""<!doctype html><meta charset="utf-8">
<pre class="mermaid">{html.escape(block)}</pre>
<script src="file://{here}/node_modules/mermaid/dist/mermaid.min.js"></script>
<script>mermaid.initialize({{startOnLoad:false}});
mermaid.run().then(()=>{{document.title='rendered'}})
 .catch(e=>{{document.title='error: '+e.message}});</script>""")
print(len(blocks))
PY
status=0
for page in "$out"/diagram-*.html; do
  png=${page%.html}.png
  flags=(--headless --no-sandbox --disable-gpu --allow-file-access-from-files --virtual-time-budget=5000)
  title=$(chromium "${flags[@]}" --dump-dom "file://$page" 2>/dev/null | grep -o '<title>[^<]*' | head -1 | sed 's/<title>//')
  chromium "${flags[@]}" --window-size=1200,1000 --screenshot="$png" "file://$page" >/dev/null 2>&1
  if [ "$title" = rendered ]; then echo "ok      $png"; else echo "FAILED  $page: $title"; status=1; fi
done
exit $status
