#!/usr/bin/env bash
# Before/after of the covering's memory and CPU time: builds Benchmarks/s2/large/main.swift against
# Sources/S2Geometry of a base revision (default main) and of this checkout, runs both on the heavy requests
# of large_coverings.json (those the reference took 0.3 s or more for, the first COUNT of them, default 27:
# whole-sphere and hemisphere coverings of up to 3,149,824 cells, interior coverings stopped by the budget),
# one after the other, and prints per request the CPU time (best of 3 below 0.3 s) and the process's peak RSS
# (VmHWM reset before each request) of both, whether the answers are identical, and the totals.
# Usage: Benchmarks/s2/large-memory.sh [base-revision] [count]     (about 8 minutes on a busy 2-core machine)
# Needs: pip install s2geometry==0.14.0 (to list the requests).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BASE_REV=${1:-main}
COUNT=${2:-27}
source "$HERE/scratch.sh"
WORK=${S2BENCH_SCRATCH:-/tmp/s2bench-$(id -u)}/large-memory
rm -rf "$WORK/base-src" && mkdir -p "$WORK/base-src"
git -C "$ROOT" archive "$BASE_REV" Sources/S2Geometry | tar -x -C "$WORK/base-src"
S2BENCH_SCRATCH="$WORK" scratch_build new Large "$HERE/large/main.swift"
NEW=$BIN
# The base build: the same program against the base revision's S2Geometry.
mkdir -p "$WORK/base/Sources/Large"
cp "$WORK/new/Package.swift" "$WORK/base/Package.swift"
ln -sfn "$WORK/base-src/Sources/S2Geometry" "$WORK/base/Sources/S2Geometry"
ln -sfn "$HERE/large/main.swift" "$WORK/base/Sources/Large/main.swift"
(cd "$WORK/base" && swift build -c release --product Large >/dev/null)
BASE="$WORK/base/.build/release/Large"
python3 "$HERE/large/report.py" cases > "$WORK/cases.txt"
python3 - "$ROOT" "$WORK/cases.txt" "$COUNT" > "$WORK/heavy.txt" <<'PY'
import json, sys
root, cases, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
c = json.load(open(root + "/Tests/S2GeometryTests/Fixtures/large_coverings.json"))["cases"]
heavy = {str(i) for i, x in enumerate(c) if x["refSeconds"] and float(x["refSeconds"]) >= 0.3}
print("".join([l for l in open(cases) if l.split()[0] in heavy][:count]), end="")
PY
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
NO_CREATED=1 "$BASE" < "$WORK/heavy.txt" > "$WORK/base.txt"
echo "load average between: $(cut -d' ' -f1-3 /proc/loadavg)"
NO_CREATED=1 "$NEW" < "$WORK/heavy.txt" > "$WORK/new.txt"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$WORK/base.txt" "$WORK/new.txt" "$ROOT" <<'PY'
import json, sys
b = {l.split()[0]: l.split() for l in open(sys.argv[1])}
n = {l.split()[0]: l.split() for l in open(sys.argv[2])}
c = json.load(open(sys.argv[3] + "/Tests/S2GeometryTests/Fixtures/large_coverings.json"))["cases"]
print("%-58s %9s %9s %9s %9s  %s" % ("request", "base s", "new s", "base MB", "new MB", "answer"))
same = 0
for k, x in b.items():
    y = n[k]
    ok = x[2:5] == y[2:5]
    same += ok
    o = c[int(k)]["options"]
    name = "%s %d/%d/%d/%d%s" % (c[int(k)]["name"], o["minLevel"], o["maxLevel"], o["levelMod"], o["maxCells"], " int" if c[int(k)]["interior"] else "")
    print("%-58s %9s %9s %9s %9s  %s%s" % (name[:58], x[1], y[1], x[6], y[6], "same" if ok else "DIFFERENT",
                                          "" if x[4] == "-" else " (refused: " + x[4] + ")"))
tb = sum(float(x[1]) for x in b.values()); tn = sum(float(n[k][1]) for k in b)
print("identical answers: %d of %d; CPU time: base %.2f s, new %.2f s (ratio %.2f); peak RSS: base max %.1f MB, new max %.1f MB"
      % (same, len(b), tb, tn, tn / tb, max(float(x[6]) for x in b.values()), max(float(y[6]) for y in n.values())))
PY
