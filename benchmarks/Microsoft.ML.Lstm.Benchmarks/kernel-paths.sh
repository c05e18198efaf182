#!/usr/bin/env bash
# Our engine on each forced kernel path (MLNET_LSTM_KERNEL_PATH), one child process per (round, shape,
# mode, path), paths interleaved within each round; prints the median of the per-process medians and the
# ratio to Vector512 measured in the same run, and GFLOP/s as a share of the 2-thread FMA peak measured at the
# start and the end of the run (the higher of the two). Build first:
#   dotnet build -c Release benchmarks/Microsoft.ML.Lstm.Benchmarks
# Usage: kernel-paths.sh [ROUNDS] [SHAPES] [PATHS]   (defaults: 5 "a b c d" "Vector512 Vector256 Vector128 Scalar")
set -euo pipefail
rounds=${1:-5}
shapes=${2:-a b c d}
paths=${3:-Vector512 Vector256 Vector128 Scalar}
here=$(cd "$(dirname "$0")" && pwd)
exe="$here/bin/Release/net10.0/linux-x64/Microsoft.ML.Lstm.Benchmarks"
budget=(--warmup 2 --measure 1.5 --min-reps 5 --max-reps 1000)
results=$(mktemp)
describe=$(mktemp)
trap 'rm -f "$results" "$describe"' EXIT
"$exe" --describe >"$describe"

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

"$exe" --describe | grep '^PEAK ' >>"$describe"
peak=$(awk '$1 == "PEAK" && $2 > p { p = $2 } END { print p }' "$describe")
echo "2-thread FMA peak in this run: $peak GFLOP/s"
echo "| shape | mode | path | processes | median ms | / Vector512 | GFLOP/s | % of peak |"
echo "|---|---|---|---|---|---|---|---|"
for s in $shapes; do
  for m in train infer; do
    base=""
    for p in $paths; do
      med=$(awk -v s="$s" -v m="$m" -v p="$p" '$1 == s && $2 == m && $3 == p { print $4 }' "$results" | sort -g |
        awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }')
      [[ $p == Vector512 ]] && base=$med
      ratio=$([[ -n $base ]] && awk -v a="$med" -v b="$base" 'BEGIN { printf "%.2f×", a / b }' || echo "—")
      flops=$(awk -v s="$s" -v m="$m" '$1 == "FLOPS" && $2 == s && $3 == m { print $4 }' "$describe")
      gflops=$(awk -v f="$flops" -v t="$med" 'BEGIN { printf "%.1f", f / (t * 1e6) }')
      share=$(awk -v g="$gflops" -v p="$peak" 'BEGIN { printf "%.0f%%", 100 * g / p }')
      printf "| %s | %s | %s | %d | %.3f | %s | %s | %s |\n" "$s" "$m" "$p" "$rounds" "$med" "$ratio" "$gflops" "$share"
    done
  done
done
