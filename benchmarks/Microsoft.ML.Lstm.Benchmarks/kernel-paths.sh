#!/usr/bin/env bash
# Our engine on each forced kernel path (MLNET_LSTM_KERNEL_PATH), one child process per (round, shape,
# mode, path), paths interleaved within each round; prints the median of the per-process medians and the
# ratio to Vector512 measured in the same run. Build first:
#   dotnet build -c Release benchmarks/Microsoft.ML.Lstm.Benchmarks
# Usage: kernel-paths.sh [ROUNDS] [SHAPES] [PATHS]   (defaults: 5 "a b c d" "Vector512 Vector256 Vector128 Scalar")
set -euo pipefail
rounds=${1:-5}
shapes=${2:-a b c d}
paths=${3:-Vector512 Vector256 Vector128 Scalar}
here=$(cd "$(dirname "$0")" && pwd)
exe="$here/bin/Release/net10.0/linux-x64/Microsoft.ML.Lstm.Benchmarks"
budget=(--warmup 0.5 --measure 1.5 --min-reps 5 --max-reps 1000)
results=$(mktemp)
trap 'rm -f "$results"' EXIT

for ((r = 1; r <= rounds; r++)); do
  for s in $shapes; do
    for m in train infer; do
      for p in $paths; do
        line=$(MLNET_LSTM_KERNEL_PATH=$p "$exe" --child ours "$s" "$m" "${budget[@]}" | grep '^RESULT ')
        ms=$(sed -E 's/.*"median_ms":([0-9.eE+-]+).*/\1/' <<<"$line")
        echo "$s $m $p $ms" >>"$results"
        echo "round $r: $s $m $p $ms ms" >&2
      done
    done
  done
done

echo "| shape | mode | path | processes | median ms | / Vector512 |"
echo "|---|---|---|---|---|---|"
for s in $shapes; do
  for m in train infer; do
    base=""
    for p in $paths; do
      med=$(awk -v s="$s" -v m="$m" -v p="$p" '$1 == s && $2 == m && $3 == p { print $4 }' "$results" | sort -g |
        awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }')
      [[ $p == Vector512 ]] && base=$med
      ratio=$([[ -n $base ]] && awk -v a="$med" -v b="$base" 'BEGIN { printf "%.2f×", a / b }' || echo "—")
      printf "| %s | %s | %s | %d | %.3f | %s |\n" "$s" "$m" "$p" "$rounds" "$med" "$ratio"
    done
  done
done
