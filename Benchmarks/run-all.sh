#!/usr/bin/env bash
# Runs every benchmark script Benchmarks/*/run.sh, one after another (never in parallel: the numbers are
# only meaningful on an otherwise quiet machine), from the repository root, and prints a summary.
# Each script runs with its own defaults (their arguments differ). Exit status: 0 if every script succeeded.
# Usage: bash Benchmarks/run-all.sh            (or `make bench`)
#        ONLY="http s2" bash Benchmarks/run-all.sh   runs just those domains
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

scripts=()
for script in Benchmarks/*/run.sh; do
    [[ -f "$script" ]] || continue
    domain="$(basename "$(dirname "$script")")"
    if [[ -n "${ONLY:-}" ]] && [[ " $ONLY " != *" $domain "* ]]; then continue; fi
    scripts+=("$script")
done
if (( ${#scripts[@]} == 0 )); then
    echo "run-all: no Benchmarks/*/run.sh found${ONLY:+ for ONLY=$ONLY}" >&2
    exit 1
fi

declare -a summary
failed=0
for script in "${scripts[@]}"; do
    domain="$(basename "$(dirname "$script")")"
    echo
    echo "################ $domain ($script) — $(date -u +%FT%TZ)"
    start=$SECONDS
    if [[ -x "$script" ]]; then "./$script"; else bash "$script"; fi
    status=$?
    took=$((SECONDS - start))
    if (( status == 0 )); then
        summary+=("$(printf '%-12s ok      %5d s' "$domain" "$took")")
    else
        summary+=("$(printf '%-12s FAILED  %5d s  (exit %d)' "$domain" "$took" "$status")")
        failed=1
    fi
done

echo
echo "################ summary"
printf '%s\n' "${summary[@]}"
exit "$failed"
