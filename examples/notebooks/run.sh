#!/usr/bin/env bash
# Runs the notebooks headless (issue 13) with dotnet-repl from the repository's tool manifest, against the package built
# from this checkout: packs it under a version no NuGet cache has seen, points each notebook's setup cell (#i / #r) at
# that local feed and version, runs a copy next to a copy of examples/data, fails on any cell error, and checks values
# the notebook printed (dotnet-repl prints nothing; they are read from the executed notebook, kept in $NOTEBOOK_OUTPUT
# if set). Usage: examples/notebooks/run.sh [Name.ipynb ...] (default: all). One "notebook X: passed|FAILED" line each.
set -uo pipefail
source "$(dirname "$0")/../../build/fresh-package.sh" notebook || { echo "notebooks: FAILED (pack)"; exit 1; }
(cd "$root" && dotnet tool restore -v q) || { echo "notebooks: FAILED (dotnet tool restore)"; exit 1; }
cp -r "$root/examples/data" "$work/data" && cp -r "$root/examples/Plotting" "$work/Plotting"
mkdir -p "$work/notebooks/.config" "$work/out" && cp "$root/.config/dotnet-tools.json" "$work/notebooks/.config/"

# Values each notebook must print (grep -E patterns on the executed notebook's text outputs).
declare -A checks=(
  [Forecasting.ipynb]='seasonal period found: 12;MASE 0\.[0-9]+ \(seasonal naive;same forecast as before saving: True;data:image/png;base64'
  [SequenceClassification.ipynb]='micro-accuracy 9[0-9]\.[0-9]+ ?%;data:image/png;base64;predicted [0-9], actual [0-9]'
)
status=0
names=("$@")
[ ${#names[@]} -gt 0 ] || names=($(cd "$root/examples/notebooks" && ls *.ipynb))
for name in "${names[@]}"; do
  sed -e "s|#i \\\\\"nuget: [^\\\\]*\\\\\"|#i \\\\\"nuget: $work/feed\\\\\"|" \
      -e "s|#r \\\\\"nuget: Microsoft.ML.Lstm, [^\\\\]*\\\\\"|#r \\\\\"nuget: Microsoft.ML.Lstm, $version\\\\\"|" \
      "$root/examples/notebooks/$name" > "$work/notebooks/$name"
  grep -q "$version" "$work/notebooks/$name" || { echo "notebook $name: FAILED (no setup cell to point at the package)"; status=1; continue; }
  start=$(date +%s)
  (cd "$work/notebooks" && timeout 900 dotnet repl --run "$name" --exit-after-run --output-path "$work/out/$name")
  code=$?
  seconds=$(( $(date +%s) - start ))
  [ -n "${NOTEBOOK_OUTPUT:-}" ] && mkdir -p "$NOTEBOOK_OUTPUT" && cp "$work/out/$name" "$NOTEBOOK_OUTPUT/" 2>/dev/null
  missing=""
  IFS=';' read -ra patterns <<< "${checks[$name]:-}"
  for p in "${patterns[@]}"; do grep -Eq "$p" "$work/out/$name" 2>/dev/null || missing="$missing '$p'"; done
  if [ $code -eq 0 ] && [ -z "$missing" ] && [ -n "${checks[$name]:-}" ]; then
    echo "notebook $name: passed (${seconds} s)"
  else
    echo "notebook $name: FAILED (exit $code${missing:+; not printed:$missing}${checks[$name]:+}$([ -n "${checks[$name]:-}" ] || echo '; no checks defined'))"
    status=1
  fi
done
exit $status
