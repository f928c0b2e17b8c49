#!/usr/bin/env python3
"""Runs the curl examples of README.md against the real binary, so the README stays runnable.

  python3 scripts/readme-examples.py [BINARY]        (default .build/release/incognita)

1. Every ```sh block that talks to localhost:8080 ("Try it" and the domain sections) runs against one
   server started on a free port with a fresh data directory. Each logical command (backslash
   continuations joined) runs in bash exactly as written, except for the port; curl reports each
   response's status through a .curlrc `write-out` to stderr. Every command must exit 0 (bash with
   pipefail, so a failing `jq` after a `curl` counts), every status must be 2xx — except the example that
   demonstrates an error (/v1/nothing → 404) — and every file a command writes with `>` must be non-empty.
2. The similarity walkthrough ("A whole session with curl": all sh blocks from there up to the docker
   section) runs as one bash script, as written, with `incognita` on PATH and ports 8081/8082 moved to
   free ones, under `set -eE -o pipefail`: every command must succeed (the first that fails is named). It
   must end with the session `succeeded` at Alice's instance and a 2×1 similarity matrix whose first entry
   (a paraphrase, minilm) is above 0.6 and second (unrelated) below 0.2, as the README says.

The container blocks ("Containers", "Two parties with docker compose") are run by scripts/container-test.py
against the image. Exits non-zero on any failure.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

from readme_blocks import ROOT, free_port, is_container_block, logical_commands, readme_blocks, wait_ready


def run_single_instance(binary, blocks, work):
    port = free_port()
    data = os.path.join(work, "data")
    log = open(os.path.join(work, "server.log"), "w")
    server = subprocess.Popen([binary, "--host", "127.0.0.1", "--port", str(port), "--data-dir", data,
                               "--access-log", "false"], stdout=log, stderr=subprocess.STDOUT)
    failures = []
    try:
        wait_ready(port)
        curl_home = os.path.join(work, "curlhome")
        os.makedirs(curl_home)
        with open(os.path.join(curl_home, ".curlrc"), "w") as f:
            f.write('write-out = "%{stderr}HTTPSTATUS %{http_code}\\n"\n')
        env = dict(os.environ, CURL_HOME=curl_home)
        count = 0
        for heading, code in blocks:
            for command in logical_commands(code):
                if "curl" not in command:
                    continue
                count += 1
                runnable = command.replace("localhost:8080", f"127.0.0.1:{port}")
                p = subprocess.run(["bash", "-o", "pipefail", "-c", runnable], cwd=work, env=env, capture_output=True, timeout=120)
                statuses = re.findall(r"HTTPSTATUS (\d{3})", p.stderr.decode(errors="replace"))
                first = command.splitlines()[0][:90]
                expected_error = "/v1/nothing" in command
                ok = p.returncode == 0 and bool(statuses) \
                    and all((s == "404") if expected_error else s.startswith("2") for s in statuses)
                if p.returncode != 0:
                    statuses.append(f"exit {p.returncode}: {p.stderr.decode(errors='replace').strip().splitlines()[-1][:200]}")
                target = re.search(r">\s*([\w.-]+\.\w+)\s*(#.*)?$", command)
                if ok and target:
                    path = os.path.join(work, target.group(1))
                    ok = os.path.exists(path) and os.path.getsize(path) > 0
                print(f"{'ok  ' if ok else 'FAIL'} [{heading}] {first} -> {','.join(statuses) or 'no response'}")
                if not ok:
                    failures.append(first)
                    sys.stdout.write(p.stdout.decode(errors="replace")[:500] + "\n")
        print(f"{count} single-instance examples run")
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    return failures


def run_walkthrough(binary, blocks, work):
    p1, p2 = free_port(), free_port()
    while p2 == p1:
        p2 = free_port()
    bindir = os.path.join(work, "bin")
    os.makedirs(bindir)
    wrapper = os.path.join(bindir, "incognita")
    with open(wrapper, "w") as f:
        f.write(f'#!/bin/sh\nexec "{os.path.abspath(binary)}" "$@"\n')
    os.chmod(wrapper, 0o755)
    script = "\n".join(code for _, code in blocks)
    script = script.replace("8081", str(p1)).replace("8082", str(p2))
    # Every command must succeed: the first that fails stops the script and is named.
    script = ("set -eE -o pipefail\n"
              "trap 'echo \"FAILED (exit $?): $BASH_COMMAND\" >&2; kill $(jobs -p) 2>/dev/null' ERR\n") + script
    # After the last block, show the final state so the harness can check it.
    script += f"""
echo "FINAL $(curl -s -H "$A" localhost:{p1}/v1/similarity/sessions/$ID | jq -c '{{state, result}}')"
kill $(jobs -p) 2>/dev/null; wait
"""
    env = dict(os.environ, PATH=bindir + os.pathsep + os.environ["PATH"])
    p = subprocess.run(["bash", "-c", script], cwd=work, env=env, capture_output=True, timeout=180)
    out = p.stdout.decode(errors="replace")
    final = re.search(r"^FINAL (.*)$", out, re.M)
    failures = []
    try:
        state = json.loads(final.group(1)) if final else {}
    except ValueError:
        state = {}
    sims = (state.get("result") or {}).get("similarities")
    failed = re.search(r"^FAILED .*$", p.stderr.decode(errors="replace"), re.M)
    # minilm: the paraphrase without a shared word scores high, the unrelated sentence low
    ok = p.returncode == 0 and not failed and state.get("state") == "succeeded" and isinstance(sims, list) \
        and len(sims) == 2 and all(len(r) == 1 for r in sims) and sims[0][0] > 0.6 and sims[1][0] < 0.2
    if failed:
        print(f"FAIL [similarity walkthrough] {failed.group(0)}")
    print(f"{'ok  ' if ok else 'FAIL'} [similarity walkthrough] final state {state.get('state')}, similarities {sims}")
    if not ok:
        failures.append("similarity walkthrough")
        sys.stdout.write(out[-3000:] + "\n" + p.stderr.decode(errors="replace")[-3000:] + "\n")
    return failures


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build/release/incognita")
    if not os.path.exists(binary):
        sys.exit(f"no binary at {binary}: build first")
    if shutil.which("jq") is None:
        sys.exit("jq is needed by the README's similarity walkthrough (apt-get install -y jq)")
    blocks = readme_blocks()
    single = [b for b in blocks if "localhost:8080" in b[1] and not is_container_block(b)]
    start = next(i for i, b in enumerate(blocks) if "incognita --port" in b[1])
    walkthrough = []
    for b in blocks[start:]:
        if is_container_block(b):
            break
        walkthrough.append(b)
    work = tempfile.mkdtemp(prefix="readme-examples-")
    try:
        sdir = os.path.join(work, "single")
        os.makedirs(sdir)
        failures = run_single_instance(binary, single, sdir)
        wdir = os.path.join(work, "walkthrough")
        os.makedirs(wdir)
        failures += run_walkthrough(binary, walkthrough, wdir)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if failures:
        print(f"README examples: {len(failures)} failed")
        sys.exit(1)
    print("README examples: all ran as documented")


if __name__ == "__main__":
    main()
