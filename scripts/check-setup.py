#!/usr/bin/env python3
"""The two commands of the README as a newcomer meets them, checked without installing anything:

1. `make deps` waits for another apt instead of failing at once: run with stand-ins for dpkg and apt-get first
   on PATH (one package missing, `apt-get update` failing twice as it does while another apt holds the lock),
   it must retry the update, then install with DPkg::Lock::Timeout (which makes dpkg wait for its lock).
2. The README's list of what `make run` and `make test` install is the Makefile's APT_PACKAGES and PIP_PACKAGES,
   and its list of what `make test` adds for the container checks is TEST_APT_PACKAGES.
3. `make run` builds only the service's executable (`--product incognita`), not fuzzers, benchmarks or test support.
Usage: python3 scripts/check-setup.py"""
import os, pathlib, re, stat, subprocess, sys, tempfile

root = pathlib.Path(__file__).resolve().parent.parent
makefile = (root / "Makefile").read_text()
readme = (root / "README.md").read_text()
problems = []


def variable(name):
    m = re.search(rf"^{name}\s*:=\s*(.*)$", makefile, re.M)
    return m.group(1).split() if m else []


apt, pip, test_apt = variable("APT_PACKAGES"), variable("PIP_PACKAGES"), variable("TEST_APT_PACKAGES")

# 1. waiting for the lock
with tempfile.TemporaryDirectory() as tmp:
    tmp = pathlib.Path(tmp)
    log = tmp / "apt.log"
    stand_ins = {
        "dpkg": f'#!/bin/sh\n[ "$2" = "{apt[0]}" ] && exit 1\nexit 0\n',
        "apt-get": f'#!/bin/sh\necho "$*" >> {log}\n'
                   f'case "$*" in *update*) n=$(grep -c update {log}); [ "$n" -ge 3 ] || {{ echo "E: Could not get lock /var/lib/apt/lists/lock" >&2; exit 100; }};; esac\nexit 0\n',
    }
    for name, text in stand_ins.items():
        path = tmp / name
        path.write_text(text)
        path.chmod(path.stat().st_mode | stat.S_IEXEC)
    env = dict(os.environ, PATH=f"{tmp}:{os.environ['PATH']}")
    p = subprocess.run(["make", "-s", "-C", str(root), "deps", "APT_RETRY_SECONDS=0"], env=env, capture_output=True, text=True, timeout=120)
    calls = log.read_text().splitlines() if log.exists() else []
    updates = [c for c in calls if "update" in c]
    installs = [c for c in calls if " install " in f" {c} "]
    if p.returncode != 0:
        problems.append(f"make deps failed while apt was busy for a moment: {p.stdout[-300:]} {p.stderr[-300:]}")
    if len(updates) < 3:
        problems.append(f"make deps did not retry apt-get update while the lock was held: {calls}")
    if not installs or not all("DPkg::Lock::Timeout=" in c for c in installs) or apt[0] not in " ".join(installs):
        problems.append(f"make deps did not install the missing package waiting for the dpkg lock: {installs}")

# 2. the README's list
def words(text):
    return set(re.findall(r"[A-Za-z0-9][A-Za-z0-9.+=_-]*[A-Za-z0-9]", re.sub(r"\s+", " ", text).replace(" and ", " ")))


said = re.search(r"`apt-get install -y` of (.*?)\(the\s+Makefile's `APT_PACKAGES`\), and `pip install` of (.*?)\s*\(`PIP_PACKAGES`\)",
                 readme, re.S)
if not said:
    problems.append("the README no longer lists what make run and make test install")
else:
    if words(said.group(1)) != set(apt):
        problems.append(f"README apt list {sorted(words(said.group(1)))} is not the Makefile's {sorted(apt)}")
    if words(said.group(2)) != set(pip):
        problems.append(f"README pip list {sorted(words(said.group(2)))} is not the Makefile's {sorted(pip)}")
test_said = re.search(r"`make test` also installs (.*?)\s*\(`TEST_APT_PACKAGES`", readme, re.S)
if not test_said or words(test_said.group(1)) != set(test_apt):
    problems.append(f"README's list of the container checks' packages "
                    f"{sorted(words(test_said.group(1))) if test_said else 'is missing'}; the Makefile's {sorted(test_apt)}")

# 3. make run builds the executable only
dry = subprocess.run(["make", "-n", "-C", str(root), "run"], capture_output=True, text=True).stdout
builds = [line for line in dry.splitlines() if "build" in line and "swift" in line]
if not builds or any("--product incognita" not in line for line in builds):
    problems.append(f"make run builds more than the incognita product: {builds}")

if problems:
    print("set-up:\n  " + "\n  ".join(problems))
    sys.exit(1)
print(f"set-up: make deps waits for apt's locks, the README lists the {len(apt)} apt, {len(pip)} pip and "
      f"{len(test_apt)} container-check packages the Makefile installs, make run builds the incognita product only")
