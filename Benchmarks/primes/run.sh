#!/bin/sh
# Primes benchmark: the Swift Primes target (release) beside C + the system GMP and gmpy2, in one run.
# Needs cc and libgmp-dev for the C reference and `pip install gmpy2` for the Python one (each is skipped,
# and reported as n/a, when missing).
# Usage: Benchmarks/primes/run.sh [--quick] [ll] [decimal] [queries] [primality]   (from the package root)
set -e
swift build -c release --product PrimesBenchmark >/dev/null
BIN=$(swift build -c release --show-bin-path)/PrimesBenchmark
"$BIN" "$@"
