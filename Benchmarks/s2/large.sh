#!/usr/bin/env bash
# Large-region coverings against the reference's time: every request of
# Tests/S2GeometryTests/Fixtures/large_coverings.json that the reference finished (whole sphere,
# hemispheres, polar caps and rectangles, quadrants, thin bands, antimeridian-crossing rectangles, caps
# up to the whole sphere, big polygons; default and extreme options; covering and interior) is timed
# in the reference (Tests/S2GeometryTests/Scripts/covering_time.cc on libs2.a from the s2geometry
# 0.14.0 wheel, g++ -O2, process CPU time, best of 3) and answered by S2Operations.covering with the
# service's default limits (large/main.swift, release build, the same CPU time). large/report.py
# checks the bar (nothing the reference computes in under 0.5 s is refused or answered differently)
# and prints what is refused, how long those take the reference, the time ratio and the peak RSS per request.
# Usage: Benchmarks/s2/large.sh [name-filter]     (about 35 minutes on a shared 2-core machine)
# Needs: pip install s2geometry==0.14.0; g++.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
source "$HERE/scratch.sh"
scratch_build large Large "$HERE/large/main.swift"
WHEEL=$(python3 -c "import s2geometry, os; print(os.path.dirname(s2geometry.__file__))")
if [ ! -x "$SCRATCH/reference" ] || [ "$ROOT/Tests/S2GeometryTests/Scripts/covering_time.cc" -nt "$SCRATCH/reference" ]; then
  g++ -O2 -std=c++17 -DNDEBUG -I"$WHEEL/include" "$ROOT/Tests/S2GeometryTests/Scripts/covering_time.cc" -o "$SCRATCH/reference" \
    -Wl,--start-group "$WHEEL"/lib64/*.a -Wl,--end-group -lpthread
fi
python3 "$HERE/large/report.py" cases "${1:-}" > "$SCRATCH/cases.txt"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
# REUSE_REFERENCE=1 keeps the reference's times of the previous run (they take most of the time).
if [ -z "${REUSE_REFERENCE:-}" ] || [ ! -s "$SCRATCH/reference.txt" ]; then
  "$SCRATCH/reference" < "$SCRATCH/cases.txt" > "$SCRATCH/reference.txt"
fi
"$BIN" < "$SCRATCH/cases.txt" > "$SCRATCH/swift.txt"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 "$HERE/large/report.py" report "$SCRATCH/cases.txt" "$SCRATCH/reference.txt" "$SCRATCH/swift.txt"
