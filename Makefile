# Incognita: the two commands of the README are `make run` and `make test`.
# Both install what they need on a fresh Debian 12 machine with Swift (apt and pip packages included).

APT_PACKAGES := zlib1g-dev libgmp-dev libmpfr-dev libsodium-dev libcurl4-openssl-dev wrk curl jq python3-pip
PIP_PACKAGES := pyyaml openapi-spec-validator schemathesis==4.32.5
PORT ?= 8080
FUZZ_SECONDS ?= 30
SWIFT ?= swift

.PHONY: deps run build release test test-swift openapi bench clean

# System libraries for the build (zlib, GMP, MPFR, libsodium), libcurl for the test client, wrk for benchmarks.
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing; \
	fi
	@python3 -c "import yaml, openapi_spec_validator, schemathesis" 2>/dev/null || python3 -m pip install -q $(PIP_PACKAGES) || python3 -m pip install -q --break-system-packages $(PIP_PACKAGES)

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

# Starts the service on port 8080 (override with PORT=…) with data in ./data.
run: release
	INCOGNITA_OPENAPI=$(CURDIR)/openapi.yaml .build/release/incognita --host 0.0.0.0 --port $(PORT) --data-dir ./data

openapi: deps
	python3 scripts/build-openapi.py --check

# The whole suite (scripts/test.sh): the contract file, every Swift test target, the schemathesis contract test
# against the live server, the README's curl examples, and the fuzzers for a bounded time.
test: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) SWIFT=$(SWIFT) bash scripts/test.sh

bench: deps
	bash Benchmarks/run-all.sh

clean:
	rm -rf .build
