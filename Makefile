# Incognita: the two commands of the README are `make run` and `make test`.
# Both install what they need on a fresh Debian 12 machine with Swift (apt and pip packages included).

APT_PACKAGES := zlib1g-dev libgmp-dev libmpfr-dev libsodium-dev libcurl4-openssl-dev wrk curl jq python3-pip librsvg2-bin
PIP_PACKAGES := pyyaml openapi-spec-validator schemathesis==4.32.5
# apt waits up to 10 minutes for another apt or dpkg (unattended upgrades, a second `make`) instead of failing at once.
APT_GET := DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600
PORT ?= 8080
APT_RETRY_SECONDS ?= 15
FUZZ_SECONDS ?= 30
SWIFT ?= swift

.PHONY: deps run build release test test-swift openapi bench pictures clean

# System libraries for the build (zlib, GMP, MPFR, libsodium), libcurl for the test client, wrk for benchmarks,
# curl and jq for the README's examples, rsvg-convert (librsvg2-bin) to render the pictures to PNG.
# `apt-get update` takes the package-list lock, which DPkg::Lock::Timeout does not cover: it is retried for 10 minutes.
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing (waiting for any other apt or dpkg to finish)"; \
	  tries=0; until $(APT_GET) update; do \
	    tries=$$((tries + 1)); [ $$tries -lt 40 ] || exit 1; echo "apt-get update: retrying in $(APT_RETRY_SECONDS) s"; sleep $(APT_RETRY_SECONDS); \
	  done; \
	  $(APT_GET) install -y $$missing; \
	fi
	@python3 -c "import yaml, openapi_spec_validator, schemathesis" 2>/dev/null || python3 -m pip install -q $(PIP_PACKAGES) || python3 -m pip install -q --break-system-packages $(PIP_PACKAGES)

build: deps
	$(SWIFT) build

# Only the service's executable: not the fuzzers, benchmarks or test support (the suite builds those itself).
release: deps
	$(SWIFT) build -c release --product incognita

# Starts the service on port 8080 (override with PORT=…) with data in ./data.
run: release
	INCOGNITA_OPENAPI=$(CURDIR)/openapi.yaml .build/release/incognita --host 0.0.0.0 --port $(PORT) --data-dir ./data

openapi: deps
	python3 scripts/build-openapi.py --check

# The whole suite (scripts/test.sh): the contract file, every Swift test target, the schemathesis contract test
# against the live server, the README's curl examples, and the fuzzers for a bounded time.
test: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) SWIFT=$(SWIFT) bash scripts/test.sh

# Renders the three pictures (bounds, geodesic, covering) from the README's requests with the release binary into
# docs/pictures/*.svg and *.png (rsvg-convert): run it after changing a picture, look at the PNGs, commit them.
pictures: deps
	$(SWIFT) build -c release --product incognita
	python3 scripts/pictures.py .build/release/incognita docs/pictures

bench: deps
	bash Benchmarks/run-all.sh

clean:
	rm -rf .build
