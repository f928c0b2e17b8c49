#!/usr/bin/env bash
# Contract test: schemathesis drives every operation of openapi.yaml against the live server (the release
# binary the test suite builds, inline computations stopped after 10 s so no request outlives the client timeout),
# with a bounded number of examples per operation, on one worker: CPython 3.11's ast.parse is not thread-safe
# (gh-106905, "AST constructor recursion depth mismatch"), and hypothesis parses its filter lambdas while
# generating, so two worker threads failed a CI run with a SystemError in the client. It fails on any 5xx,
# any response that breaks its schema, any undocumented status code or content type.
#   CONTRACT_EXAMPLES=20 bash scripts/contract-test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
examples="${CONTRACT_EXAMPLES:-15}"
binary="${INCOGNITA_BINARY:-.build/release/incognita}"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
data=$(mktemp -d)
"$binary" --host 127.0.0.1 --port "$port" --data-dir "$data" --access-log false --compute-timeout 10 >"$data/server.log" 2>&1 &
pid=$!
cleanup() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$data"; }
trap cleanup EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
schemathesis run openapi.yaml --url "http://127.0.0.1:$port" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance \
  --max-examples "$examples" --phases examples,coverage,fuzzing --workers 1 --request-timeout 30 \
  --generation-deterministic --no-color --warnings off ${CONTRACT_ARGS:-}
kill -0 "$pid" || { echo "the server died during the contract test"; cat "$data/server.log" | tail -20; exit 1; }
