#!/usr/bin/env bash
# Paired whole-process timing with public tools only (bash, GNU time, python3): A and B run in turn, A B A B …, and the
# ratio A/B is taken pair by pair, so a machine whose speed drifts during the call still gives a meaningful ratio.
#
#   bench/paired/paired.sh [-n PAIRS] [-w WARMUP] -a 'COMMAND A' -b 'COMMAND B'
#
# Each command is one string run by `sh -c`, its output thrown away. Prints, for A and B, the median (min–max) of wall
# seconds and CPU seconds (user + system), and the median (min–max) of the per-pair ratios A/B. Quote the medians.
set -euo pipefail
pairs=10 warmup=1 a="" b=""
while getopts "n:w:a:b:" opt; do
  case "$opt" in
    n) pairs=$OPTARG ;;
    w) warmup=$OPTARG ;;
    a) a=$OPTARG ;;
    b) b=$OPTARG ;;
    *) echo "usage: $0 [-n PAIRS] [-w WARMUP] -a 'COMMAND A' -b 'COMMAND B'" >&2; exit 2 ;;
  esac
done
if [[ -z "$a" || -z "$b" || ! "$pairs" =~ ^[1-9][0-9]*$ || ! "$warmup" =~ ^[0-9]+$ ]]; then
  echo "usage: $0 [-n PAIRS] [-w WARMUP] -a 'COMMAND A' -b 'COMMAND B'   (PAIRS ≥ 1)" >&2
  exit 2
fi
if [[ ! -x /usr/bin/time ]]; then
  echo "$0: needs GNU time at /usr/bin/time (apt-get install -y time)" >&2
  exit 2
fi

out=$(mktemp)
trap 'rm -f "$out" "$out.one"' EXIT
run() { # label command: one run, its wall, user and system seconds appended to $out
  /usr/bin/time -f "%e %U %S" -o "$out.one" sh -c "$2" >/dev/null 2>&1 || echo "$0: $1 exited non-zero (timed anyway)" >&2
  echo "$1 $(tail -n 1 "$out.one")" >>"$out"
}
for ((i = 0; i < warmup; i++)); do run warm-a "$a"; run warm-b "$b"; done
for ((i = 0; i < pairs; i++)); do run A "$a"; run B "$b"; done

python3 - "$out" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.startswith(("A ", "B "))]
runs = {k: [(float(w), float(u) + float(s)) for t, w, u, s in rows if t == k] for k in "AB"}
def fig(xs): return f"{statistics.median(xs):.3f} ({min(xs):.3f}–{max(xs):.3f})"
for k in "AB":
    print(f"{k}: wall {fig([w for w, _ in runs[k]])} s, cpu {fig([c for _, c in runs[k]])} s, {len(runs[k])} runs")
ratios = list(zip(runs["A"], runs["B"]))
def ratio(i):
    xs = [a[i] / b[i] for a, b in ratios if b[i] > 0]
    return fig(xs) if xs else "n/a (B measured 0)"
print(f"A/B by pair: wall {ratio(0)}, cpu {ratio(1)}")
PY
