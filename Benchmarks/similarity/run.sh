#!/bin/sh
# Secure similarity benchmark: the Swift engine (release) beside the Python reference of the same
# protocol (shared/reference/gilboa_iknp_ref.py, both parties in one process).
# Usage: Benchmarks/similarity/run.sh [--quick]   (from the package root; REF_DIR overrides the reference location)
set -e
REF_DIR=${REF_DIR:-/work/shared/reference}
swift build -c release --product SimilarityBenchmark >/dev/null
BIN=$(swift build -c release --show-bin-path)/SimilarityBenchmark
"$BIN" "$@"
if [ -f "$REF_DIR/gilboa_iknp_ref.py" ]; then
  echo "Python reference (both parties, one process):"
  for n in 384 4096; do
    python3 "$REF_DIR/gilboa_iknp_ref.py" --n $n --p 2 --q 1 --f 16 | head -1
  done
fi
