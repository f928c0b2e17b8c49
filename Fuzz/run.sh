#!/usr/bin/env bash
# Builds the libFuzzer targets (Swift with -sanitize=fuzzer,address) in their own build folder and runs
# each for a bounded time from its committed seed corpus. Any crash input is kept in Fuzz/crashes/ and
# fails the run; the test suite replays Fuzz/corpus and Fuzz/regressions on every build.
#   FUZZ_SECONDS=60 bash Fuzz/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-45}"
targets="${FUZZ_TARGETS:-HTTPParserFuzzer PeerMessageFuzzer}"
flags=(-Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xswiftc -parse-as-library)
mkdir -p Fuzz/crashes
status=0
for target in $targets; do
  [ -d "Fuzz/$target" ] || continue
  swift build -c debug --scratch-path .build-fuzz --product "$target" "${flags[@]}" >/tmp/fuzz-build-$target.log 2>&1 || { cat /tmp/fuzz-build-$target.log | tail -30; exit 1; }
  case "$target" in
    HTTPParserFuzzer) corpus_name=http-parser ;;
    PeerMessageFuzzer) corpus_name=peer-message ;;
    *) corpus_name=$target ;;
  esac
  work=$(mktemp -d)
  cp -r "Fuzz/corpus/$corpus_name/." "$work/"
  echo "fuzzing $target for ${seconds}s from Fuzz/corpus/$corpus_name ($(ls "$work" | wc -l) seeds)"
  if ! ".build-fuzz/debug/$target" "$work" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=1024 -malloc_limit_mb=512 \
        -max_len=8192 -artifact_prefix="Fuzz/crashes/$target-" -print_final_stats=1 2>/tmp/fuzz-$target.log; then
    tail -40 /tmp/fuzz-$target.log
    echo "FUZZ FAILURE in $target: inputs in Fuzz/crashes/ — add them to Fuzz/regressions/$corpus_name/"
    status=1
  else
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb" /tmp/fuzz-$target.log | sed "s/^/  $target /"
  fi
  rm -rf "$work"
done
exit $status
