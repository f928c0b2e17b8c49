#!/usr/bin/env python3
"""The container image and the README's container commands, checked end to end (part of `make test`).

  python3 scripts/container-test.py [--only NAME[,NAME…]] [--keep] [--prepare-base]

Runs on a machine with no Docker engine and no container registry: podman (Debian's, with runc and netavark)
serves the Docker API on a socket of its own, and the `docker` CLI and `docker compose` drive it exactly as
they would drive Docker. Everything lives in one temporary folder (storage, volumes, network configuration,
the socket) and is removed on exit, also when a check fails or the run is interrupted.

1. The base: `debian:bookworm-slim` made with debootstrap (minbase, slimmed the way the official image is),
   imported under that name so that the Dockerfile's `FROM` resolves locally. Cached for a week in
   .build/containers/ (INCOGNITA_CONTAINER_CACHE=off to rebuild); scripts/test.sh makes it with
   --prepare-base in the background while Swift builds and tests.
2. The binary: the suite's own release build, with the Swift runtime linked statically as the Dockerfile's
   build stage does it (`--static-swift-stdlib`): the main module is compiled again with -static-stdlib and
   linked from the build's own objects, in seconds, without touching .build/release/incognita. Stripped.
3. The image: docker/Dockerfile's runtime stage AS WRITTEN (every line from its last FROM), after a stand-in
   build stage that only holds the staged binary and openapi.yaml, built as incognita:local.
4. The checks (CHECKS below, each independent; a failure is reported and the next check still runs):
   - image: configuration (uid 10001, HEALTHCHECK, no secret in the environment, /data volume), runtime
     libraries only (no -dev package, no compiler, every library the binary needs), size and layers.
   - container: the README's "Containers" blocks as written (port 8080 moved to a free one), and between
     them /healthz, a real request of every domain (a job writing to /data included), uid 10001 with no
     capabilities, the read-only root with only /data and /tmp writable, the HEALTHCHECK healthy, a stop
     through the graceful shutdown with exit code 0, JSON lines on stdout; then a new container on the same
     volume keeps the identity key.
   - compose-demo: the README's "Two parties with docker compose" blocks as written (in a copy of docker/,
     ports 8081/8082 moved to free ones, `make image` skipped because the image is built), then the session
     blocks of "A whole session with curl" against the two containers: the session must succeed with the
     documented ranking, each instance must still have the key the other pinned, and `down` must stop both
     with exit code 0.
   - compose-scale: docker/compose.scale.yaml (stand-in PostgreSQL and nginx images, three replicas; only the job
     lease shortened by an override file): a job through nginx read on every replica, a similarity session whose
     requests cross the balancer, a replica killed (SIGKILL) mid-job whose job another replica resumes from its
     checkpoint with the same Res64, every log line carrying its replica's instance id, and `down --volumes`
     leaving no container or volume.
   A new check is one function taking the Harness and one line in CHECKS. For a compose file: h.project()
   copies docker/, compose(h, project, FILE, …) runs it, h.readme_script() runs README blocks as written;
   h.stand_in(TAG) builds an image a compose file names that no registry serves here (STAND_INS: postgres,
   nginx), and h.engine.pump_healthchecks() runs HEALTHCHECKs, which podman without systemd never does by
   itself (compose's `depends_on: condition: service_healthy` needs them).

Prints one line per check and ends with "containers: N passed, M failed"; exits non-zero on any failure.
"""
import argparse
import json
import os
import random
import re
import shlex
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

import yaml

from readme_blocks import ROOT, free_port, logical_commands, readme_blocks

IMAGE = "incognita:local"
BASE_IMAGE = "docker.io/library/debian:bookworm-slim"
CACHE_DAYS = 7
# The image holds Debian slim (~78 MB), the runtime libraries (~17 MB) and the stripped binary (~64 MB): ~160 MB
# (the minilm encoder's kernels are our own Swift, so no BLAS). The budget catches what must never get in
# (compilers, -dev packages, apt caches, an unstripped binary, the 91 MB sentence model, which is a volume); raise
# it only for something the image must carry.
SIZE_BUDGET_MB = 175


class CheckFailed(Exception):
    pass


def log(message):
    print(message, flush=True)


def elapsed(since):
    return f"{time.monotonic() - since:.1f} s"


def run(args, env=None, check=True, timeout=600, input=None, cwd=None):
    """Runs a command and returns its CompletedProcess (text); raises CheckFailed on a non-zero exit."""
    p = subprocess.run(args, env=env, cwd=cwd, input=input, capture_output=True, text=True, timeout=timeout)
    if check and p.returncode != 0:
        raise CheckFailed(f"{' '.join(map(str, args))[:200]} exited {p.returncode}: {(p.stderr or p.stdout)[-1500:]}")
    return p


# --------------------------------------------------------------------------------------------- engine --

class PrivatePodman:
    """Podman confined to one folder, serving the Docker API there for the docker CLI and docker compose.

    The settings that make it work on these machines: runc (crun cannot run under the hybrid cgroups here),
    explicit rlimits (podman's default nofile=1048576 needs CAP_SYS_RESOURCE, which the machine lacks),
    netavark + aardvark-dns (service names resolve between containers), cgroupfs (no systemd). Names that
    podman would share with any other podman on the machine are made unique to the run: the default network
    (podman's own is always the bridge podman0 on 10.88.0.0/16, so two instances would mix their containers
    on one bridge) gets its own name, bridge and a /24 no route of the host uses, and compose projects get
    their own name (aardvark-dns keeps one record file per network name for the whole machine)."""

    def __init__(self, workdir):
        self.dir = os.path.join(workdir, "podman")
        os.makedirs(self.dir)
        self.socket = os.path.join(self.dir, "podman.sock")
        hard = int(subprocess.run(["sh", "-c", "ulimit -Hn"], capture_output=True, text=True).stdout.strip() or 1024)
        self.network = "incognita" + os.urandom(3).hex()  # also the bridge's name: at most 15 characters
        with open(os.path.join(self.dir, "containers.conf"), "w") as f:
            f.write(f"""[containers]
default_ulimits = ["nofile={hard}:{hard}", "nproc=32768:32768"]
log_driver = "k8s-file"

[network]
network_backend = "netavark"
network_config_dir = "{self.dir}/networks"
default_network = "{self.network}"

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "{self.dir}/events.log"
tmp_dir = "{self.dir}/tmp"
volume_path = "{self.dir}/volumes"
""")
        # The default network, written as podman writes network files (podman 4.3 cannot name a bridge).
        subnet = free_subnet()
        os.makedirs(os.path.join(self.dir, "networks"))
        with open(os.path.join(self.dir, "networks", self.network + ".json"), "w") as f:
            json.dump({"name": self.network, "id": os.urandom(32).hex(), "driver": "bridge",
                       "network_interface": self.network,
                       "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                       "subnets": [{"subnet": subnet, "gateway": subnet.rsplit(".", 1)[0] + ".1"}],
                       "ipv6_enabled": False, "internal": False, "dns_enabled": False,
                       "ipam_options": {"driver": "host-local"}}, f, indent=2)
        with open(os.path.join(self.dir, "storage.conf"), "w") as f:
            f.write(f'[storage]\ndriver = "overlay"\ngraphroot = "{self.dir}/storage"\nrunroot = "{self.dir}/run"\n')
        docker_config = os.path.join(self.dir, "docker-config")  # also where podman looks for registry logins
        os.makedirs(docker_config)
        with open(os.path.join(docker_config, "config.json"), "w") as f:
            f.write("{}\n")
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("DOCKER_", "COMPOSE_", "CONTAINERS_"))}
        self.env.update(CONTAINERS_CONF=os.path.join(self.dir, "containers.conf"),
                        CONTAINERS_STORAGE_CONF=os.path.join(self.dir, "storage.conf"),
                        DOCKER_HOST=f"unix://{self.socket}", DOCKER_CONFIG=docker_config,
                        COMPOSE_PROJECT_NAME=self.network)
        self.service = None
        self.pump = None

    def start(self):
        log_file = open(os.path.join(self.dir, "service.log"), "w")
        self.service = subprocess.Popen(["podman", "system", "service", "--time=0", f"unix://{self.socket}"],
                                        env=self.env, stdout=log_file, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        with open(os.path.join(self.dir, "service.pid"), "w") as f:
            f.write(str(self.service.pid))
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if os.path.exists(self.socket) and run(["docker", "version"], env=self.env, check=False).returncode == 0:
                break
            if self.service.poll() is not None:
                raise CheckFailed(f"podman system service exited: {open(log_file.name).read()[-800:]}")
            time.sleep(0.2)
        else:
            raise CheckFailed("podman's Docker API socket did not answer within 30 s")
        self._compose_plugin()

    def _compose_plugin(self):
        """`docker compose`: the real v2 plugin where installed, else a CLI plugin running Debian's docker-compose."""
        if run(["docker", "compose", "version"], env=self.env, check=False).returncode == 0:
            return
        if shutil.which("docker-compose") is None:
            raise CheckFailed("neither `docker compose` nor docker-compose is installed (make test-deps)")
        plugins = os.path.join(self.env["DOCKER_CONFIG"], "cli-plugins")
        os.makedirs(plugins)
        shim = os.path.join(plugins, "docker-compose")
        with open(shim, "w") as f:
            f.write("""#!/bin/sh
# `docker compose …` through Debian's docker-compose 1.29 (the v2 plugin is packaged by neither Debian nor PyPI).
if [ "$1" = docker-cli-plugin-metadata ]; then
  echo '{"SchemaVersion":"0.1.0","Vendor":"Debian","Version":"1.29","ShortDescription":"docker-compose 1.29"}'
  exit 0
fi
[ "$1" = compose ] && shift
exec docker-compose "$@"
""")
        os.chmod(shim, 0o755)
        run(["docker", "compose", "version"], env=self.env)

    def podman(self, *args, check=True, timeout=600):
        return run(["podman", *args], env=self.env, check=check, timeout=timeout)

    def docker(self, *args, check=True, timeout=600):
        return run(["docker", *args], env=self.env, check=check, timeout=timeout)

    def pump_healthchecks(self):
        """Runs the HEALTHCHECK of every container still `starting`, every second, as Docker (or podman's
        systemd timers) would: podman without systemd never runs them by itself, so compose's
        `depends_on: condition: service_healthy` would wait for ever. For the checks that need it."""
        if self.pump:
            return
        stop = threading.Event()

        def loop():
            while not stop.wait(1):
                starting = self.podman("ps", "--filter", "health=starting", "--quiet", check=False, timeout=60)
                for cid in starting.stdout.split():
                    self.podman("healthcheck", "run", cid, check=False, timeout=60)
        thread = threading.Thread(target=loop, daemon=True)
        thread.start()
        self.pump = (stop, thread)

    def remove_everything(self):
        remove_podman_objects(self.env, keep=self.network)

    def stop(self):
        if self.pump:
            self.pump[0].set()
            self.pump[1].join(timeout=60)
        remove_podman_objects(self.env)  # images go with the folder (faster than podman's own removal)
        if self.service and self.service.poll() is None:
            os.killpg(self.service.pid, signal.SIGTERM)
            try:
                self.service.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.service.pid, signal.SIGKILL)
                self.service.wait()


def remove_podman_objects(env, keep=None):
    """Containers (killed), pods, volumes, and networks (but `keep`) of the podman that `env` configures;
    each step is tried even if one fails."""
    def podman(*args):
        return subprocess.run(["podman", *args], env=env, capture_output=True, text=True, timeout=120)
    podman("rm", "--all", "--force", "--time", "0")
    podman("pod", "rm", "--all", "--force")
    podman("volume", "rm", "--all", "--force")
    for name in podman("network", "ls", "--format", "{{.Name}}").stdout.split():
        if name not in ("podman", keep):
            podman("network", "rm", "--force", name)


def free_subnet():
    """A 10.x.y.0/24 that no route of the host covers (podman's own default, 10.88/16, may be in use by
    another podman on this machine; two bridges with one subnet break each other's traffic)."""
    routes = []
    with open("/proc/net/route") as f:
        for line in f.readlines()[1:]:
            fields = line.split()
            # The kernel prints each address as its in-memory 32-bit word: read back into the same word.
            dest, mask = (struct.unpack(">I", bytes.fromhex(x))[0] for x in (fields[1], fields[7]))
            if mask:
                routes.append((dest, mask))

    def to_int(a, b, c, d):
        return struct.unpack("<I", bytes((a, b, c, d)))[0]

    candidates = [(x, y) for x in range(100, 250) for y in range(0, 256, 17)]
    random.shuffle(candidates)
    for x, y in candidates:
        net, mask = to_int(10, x, y, 0), to_int(255, 255, 255, 0)
        if all((net & m) != (d & m) and (d & mask) != net for d, m in routes):
            return f"10.{x}.{y}.0/24"
    raise CheckFailed("no free 10.x.y.0/24 for the container network")


def cleanup_workdir(workdir):
    """Unmounts anything left under the folder, ends any process still using it, and removes it."""
    with open("/proc/mounts") as f:
        mounts = [line.split()[1] for line in f if workdir in line.split()[1]]
    for mount in sorted(mounts, key=len, reverse=True):
        subprocess.run(["umount", "-l", mount], capture_output=True)
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmdline = f.read().decode(errors="replace")
        except OSError:
            continue
        if workdir in cmdline:
            try:
                os.kill(int(pid), signal.SIGKILL)
            except OSError:
                pass
    shutil.rmtree(workdir, ignore_errors=True)
    left = [m for m in open("/proc/mounts").read().split("\n") if workdir in m]
    if left or os.path.exists(workdir):
        raise CheckFailed(f"could not remove {workdir}: {left or 'files remain'}")


def sweep_stale_workdirs():
    """Removes what a run killed before its cleanup (SIGKILL, a lost machine) left in the temporary folder."""
    parents = {work_parent(), tempfile.gettempdir()}
    for path in [os.path.join(p, n) for p in parents if os.path.isdir(p) for n in os.listdir(p)]:
        if not os.path.basename(path).startswith("incognita-containers-"):
            continue
        try:
            owner = int(open(os.path.join(path, "owner.pid")).read())
            os.kill(owner, 0)
            continue  # its run is still going
        except (OSError, ValueError):
            pass
        conf = os.path.join(path, "podman", "containers.conf")
        if os.path.exists(conf):
            remove_podman_objects(dict(os.environ, CONTAINERS_CONF=conf,
                                       CONTAINERS_STORAGE_CONF=os.path.join(path, "podman", "storage.conf")))
        log(f"removing a stale container test folder {path}")
        try:
            cleanup_workdir(path)
        except CheckFailed as e:
            log(f"warning: {e}")


# ----------------------------------------------------------------------------------------------- base --

def debian_mirrors():
    """The Debian and security mirrors this machine's apt uses (deb822 or one-line sources)."""
    uris = []
    for path in ["/etc/apt/sources.list"] + sorted(
            os.path.join("/etc/apt/sources.list.d", n) for n in os.listdir("/etc/apt/sources.list.d")
            if os.path.isdir("/etc/apt/sources.list.d")):
        try:
            text = open(path).read()
        except OSError:
            continue
        uris += re.findall(r"^URIs:\s*(\S+)", text, re.M) + re.findall(r"^deb\s+(?:\[[^]]*\]\s+)?(\S+)", text, re.M)
    main = next((u for u in uris if re.search(r"/debian/?$", u)), "http://deb.debian.org/debian")
    security = next((u for u in uris if re.search(r"/debian-security/?$", u)), "http://deb.debian.org/debian-security")
    return main.rstrip("/"), security.rstrip("/")


SLIM_DPKG_CONFIG = """# As in the official debian:*-slim images: no documentation, manual pages or translations.
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/lintian/overrides/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/man/*
"""
SLIM_APT_CONFIG = {
    "docker-clean": 'DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb '
                    '/var/cache/apt/*.bin || true"; };\nAPT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb '
                    '/var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };\n'
                    'Dir::Cache::pkgcache "";\nDir::Cache::srcpkgcache "";\n',
    "docker-no-languages": 'Acquire::Languages "none";\n',
    "docker-gzip-indexes": 'Acquire::GzipIndexes "true";\n',
    "docker-autoremove-suggests": 'Apt::AutoRemove::SuggestsImportant "false";\n',
}


def debian_base_tarball(workdir):
    """A Debian 12 root file system like debian:bookworm-slim, as a tar file; from the cache when fresh."""
    cache_dir = os.environ.get("INCOGNITA_CONTAINER_CACHE", os.path.join(ROOT, ".build", "containers"))
    cached = os.path.join(cache_dir, "debian-bookworm-slim.tar") if cache_dir != "off" else None
    if cached and os.path.exists(cached) and time.time() - os.path.getmtime(cached) < CACHE_DAYS * 86400:
        return cached, "cached"
    main, security = debian_mirrors()
    rootfs = os.path.join(workdir, "rootfs")
    p = run(["debootstrap", "--variant=minbase", "bookworm", rootfs, main], check=False, timeout=900)
    if p.returncode != 0:
        raise CheckFailed(f"debootstrap failed: {(p.stdout + p.stderr)[-1500:]}")
    with open(os.path.join(rootfs, "etc/dpkg/dpkg.cfg.d/docker"), "w") as f:
        f.write(SLIM_DPKG_CONFIG)
    for name, text in SLIM_APT_CONFIG.items():
        with open(os.path.join(rootfs, "etc/apt/apt.conf.d", name), "w") as f:
            f.write(text)
    os.remove(os.path.join(rootfs, "etc/apt/sources.list"))
    with open(os.path.join(rootfs, "etc/apt/sources.list.d/debian.sources"), "w") as f:
        f.write(f"Types: deb\nURIs: {main}\nSuites: bookworm bookworm-updates\nComponents: main\n"
                "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\n"
                f"Types: deb\nURIs: {security}\nSuites: bookworm-security\nComponents: main\n"
                "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n")
    script = r"""set -e
cd "$1"
find usr/share/doc -mindepth 1 ! -type d ! -name copyright -delete
find usr/share/doc -mindepth 1 -type d -empty -delete
rm -rf usr/share/groff/* usr/share/info/* usr/share/linda/* usr/share/lintian/overrides/* usr/share/locale/* \
       usr/share/man/* var/cache/apt/archives/*.deb var/cache/apt/*.bin var/lib/apt/lists/* var/log/*.log \
       var/log/apt/* tmp/*
"""
    run(["sh", "-c", script, "sh", rootfs])
    target = cached or os.path.join(workdir, "debian-bookworm-slim.tar")
    os.makedirs(os.path.dirname(target), exist_ok=True)
    run(["tar", "-C", rootfs, "--numeric-owner", "-cf", target + ".part", "."])
    os.replace(target + ".part", target)
    shutil.rmtree(rootfs)
    return target, "debootstrap"


# ------------------------------------------------------------------------------------------- binary --

def static_binary(out_dir):
    """The suite's release build of `incognita`, linked with the Swift runtime static, stripped, in out_dir."""
    swift = os.environ.get("SWIFT", "swift")
    flags = ["-c", "release", "-Xswiftc", "-enable-testing"]
    run([swift, "build", *flags, "--product", "incognita"], cwd=ROOT, timeout=3600)  # a no-op after the suite's build
    with open(os.path.join(ROOT, ".build", "release.yaml")) as f:
        commands = yaml.safe_load(f)["commands"]
    module = next(v for k, v in commands.items() if k.startswith("C.incognita-") and k.endswith("-release.module"))
    link = next(v for k, v in commands.items() if k.startswith("C.incognita-") and k.endswith("-release.exe"))
    objects = os.path.join(out_dir, "objects")
    os.makedirs(objects)

    # The main module again with -static-stdlib (its object names the static runtime's libraries), single
    # threaded so that it is one object whatever the number of source files.
    compile_args, skip = [], 0
    main_objects = set(module["outputs"])
    for arg in module["args"]:
        if skip:
            skip -= 1
            continue
        if arg in ("-emit-module-path", "-output-file-map", "-num-threads"):
            skip = 1
            continue
        if arg in ("-emit-dependencies", "-emit-module", "-serialize-diagnostics", "-parseable-output") \
                or re.fullmatch(r"-j\d+", arg):
            continue
        compile_args.append(arg)
    main_object = os.path.join(objects, "incognita-static.o")
    run(compile_args + ["-static-stdlib", "-o", main_object], cwd=ROOT)

    # The product's own link command, over its own object list with that object in place of the main one.
    args = list(link["args"])
    list_arg = next(i for i, a in enumerate(args) if a.startswith("@") and a.endswith("Objects.LinkFileList"))
    with open(args[list_arg][1:]) as f:
        entries = [line.strip() for line in f if line.strip()]
    replaced = [main_object if e.strip('"') in main_objects else e for e in entries]
    if replaced == entries:
        raise CheckFailed("the main module's object is not in the product's link list")
    with open(os.path.join(objects, "link.list"), "w") as f:
        f.write("\n".join(replaced) + "\n")
    args[list_arg] = "@" + os.path.join(objects, "link.list")
    binary = os.path.join(out_dir, "incognita")
    args[args.index("-o") + 1] = binary
    if "-static-stdlib" not in args:
        args.insert(1, "-static-stdlib")
    run(args, cwd=ROOT)
    ldd = run(["ldd", binary]).stdout
    if "libswiftCore" in ldd or "not found" in ldd:
        raise CheckFailed(f"the binary is not linked with the Swift runtime static:\n{ldd}")
    run(["strip", binary])
    shutil.rmtree(objects)
    return binary


def runtime_context(workdir, binary):
    """A build context for docker/Dockerfile's runtime stage as written, after a stand-in build stage that
    holds what the real one leaves in /staging."""
    with open(os.path.join(ROOT, "docker", "Dockerfile")) as f:
        lines = f.read().splitlines(keepends=True)
    last_from = max(i for i, line in enumerate(lines) if line.startswith("FROM "))
    runtime = "".join(lines[last_from:])
    context = os.path.join(workdir, "context")
    staging = os.path.join(context, "staging")
    os.makedirs(staging)
    shutil.copy(binary, os.path.join(staging, "incognita"))
    shutil.copy(os.path.join(ROOT, "openapi.yaml"), os.path.join(staging, "openapi.yaml"))
    for path in re.findall(r"^COPY\s+--from=build\s+/staging/(\S+)", runtime, re.M):
        if not os.path.exists(os.path.join(staging, path)):
            raise CheckFailed(f"the runtime stage copies /staging/{path}, which the stand-in build stage lacks")
    with open(os.path.join(context, "Dockerfile"), "w") as f:
        f.write("# Stand-in for docker/Dockerfile's build stage: the binary built on the host.\n"
                "FROM scratch AS build\nCOPY staging/ /staging/\n\n" + runtime)
    return context


# ------------------------------------------------------------------------------------------ harness --

# Images that compose files name but that no registry serves here, built from the debootstrapped base with
# the part of the official images' behaviour a compose file relies on. A check asks for one with
# h.stand_in(tag); nothing is built unless a check needs it. (Checked by hand: postgres comes up, answers
# pg_isready and a password login from another container; nginx serves docker/nginx/*.conf round-robin.)
STAND_INS = {
    "postgres:15-bookworm": {
        "Dockerfile": """FROM debian:bookworm-slim
RUN apt-get update \\
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql-15 \\
 && apt-get clean && rm -rf /var/lib/apt/lists/* \\
 && mkdir -p /var/lib/postgresql/data /var/run/postgresql \\
 && chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql
ENV PATH=/usr/lib/postgresql/15/bin:$PATH PGDATA=/var/lib/postgresql/data
COPY entrypoint.sh /usr/local/bin/entrypoint.sh
USER postgres
STOPSIGNAL SIGINT
ENTRYPOINT ["/usr/local/bin/entrypoint.sh"]
CMD ["postgres"]
""",
        "entrypoint.sh": """#!/bin/sh
# The official image's contract, in brief: POSTGRES_USER, POSTGRES_PASSWORD and POSTGRES_DB make the
# cluster on the first start; any host may then connect with the password.
set -e
if [ "$1" = postgres ] && [ ! -s "$PGDATA/PG_VERSION" ]; then
  echo "$POSTGRES_PASSWORD" > /tmp/pwfile
  initdb --username="${POSTGRES_USER:-postgres}" --pwfile=/tmp/pwfile --auth-local=trust \\
         --auth-host=scram-sha-256 >/dev/null
  rm -f /tmp/pwfile
  echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
  if [ -n "$POSTGRES_DB" ] && [ "$POSTGRES_DB" != postgres ]; then
    pg_ctl -w -o "-c listen_addresses=''" start >/dev/null
    createdb --username="${POSTGRES_USER:-postgres}" "$POSTGRES_DB"
    pg_ctl -w stop >/dev/null
  fi
fi
if [ "$1" = postgres ]; then
  shift
  exec postgres -c listen_addresses='*' "$@"
fi
exec "$@"
""",
    },
    "nginx:1.22": {
        "Dockerfile": """FROM debian:bookworm-slim
RUN apt-get update \\
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nginx-light \\
 && apt-get clean && rm -rf /var/lib/apt/lists/* \\
 && rm -f /etc/nginx/sites-enabled/default \\
 && ln -sf /dev/stdout /var/log/nginx/access.log && ln -sf /dev/stderr /var/log/nginx/error.log
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
""",
    },
}


class Harness:
    """What the checks use: the engine, HTTP, and the README's own commands."""

    def __init__(self, workdir, engine):
        self.workdir = workdir
        self.engine = engine
        self.background = []

    def docker(self, *args, check=True, timeout=600):
        return self.engine.docker(*args, check=check, timeout=timeout)

    def podman(self, *args, check=True, timeout=600):
        return self.engine.podman(*args, check=check, timeout=timeout)

    def follow(self, *args):
        """Starts a docker command that runs until its container ends (logs -f, wait); stopped at cleanup."""
        out = tempfile.TemporaryFile(mode="w+")
        err = tempfile.TemporaryFile(mode="w+")
        p = subprocess.Popen(["docker", *args], env=self.engine.env, stdout=out, stderr=err, text=True,
                             start_new_session=True)
        self.background.append(p)
        return p, out, err

    @staticmethod
    def read_followed(process, out, err, timeout=30):
        process.wait(timeout=timeout)
        out.seek(0)
        err.seek(0)
        return out.read(), err.read()

    def stop_background(self):
        for p in self.background:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
        self.background = []

    @staticmethod
    def http(method, url, body=None, headers=None, timeout=60):
        """(status, parsed JSON or text) of one request."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as r:
                status, text, kind = r.status, r.read().decode(), r.headers.get("Content-Type", "")
        except urllib.error.HTTPError as e:
            status, text, kind = e.code, e.read().decode(errors="replace"), e.headers.get("Content-Type", "")
        return status, (json.loads(text) if "json" in kind else text)

    def expect(self, method, url, status=200, body=None, headers=None):
        got, answer = self.http(method, url, body, headers)
        if got != status:
            raise CheckFailed(f"{method} {url} answered {got}, not {status}: {str(answer)[:400]}")
        return answer

    @staticmethod
    def wait_for(what, predicate, timeout=60, interval=0.2):
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            try:
                last = predicate()
                if last:
                    return last
            except (OSError, urllib.error.URLError, ValueError) as e:
                last = e
            time.sleep(interval)
        raise CheckFailed(f"{what}: not within {timeout} s (last: {str(last)[:300]})")

    def project(self, name):
        """A copy of the repository's docker/ folder (without any .env) under the run's folder, to run compose
        files from as the README does (from the repository root, `-f docker/…`). Returns the copy's root."""
        root = os.path.join(self.workdir, name)
        shutil.copytree(os.path.join(ROOT, "docker"), os.path.join(root, "docker"), ignore=shutil.ignore_patterns(".env"))
        return root

    def stand_in(self, tag):
        """Builds STAND_INS[tag] (once) and tags it as Docker Hub's name, so that a compose file naming that
        image finds it locally."""
        reference = tag if "/" in tag else f"docker.io/library/{tag}"
        if self.podman("image", "exists", reference, check=False).returncode == 0:
            return
        context = os.path.join(self.workdir, "stand-ins", re.sub(r"[^\w.-]", "_", tag))
        os.makedirs(context)
        for name, text in STAND_INS[tag].items():
            with open(os.path.join(context, name), "w") as f:
                f.write(text)
            os.chmod(os.path.join(context, name), 0o755)
        build = self.podman("build", "--format", "docker", "--network", "host", "--tag", reference, context,
                            check=False, timeout=900)
        if build.returncode != 0:
            raise CheckFailed(f"building the stand-in for {tag} failed:\n{(build.stdout + build.stderr)[-2000:]}")

    def stand_ins(self, *tags):
        """h.stand_in for each tag, all at once (each build spends most of its time on apt's downloads)."""
        errors = []

        def build(tag):
            try:
                self.stand_in(tag)
            except Exception as e:  # reported below
                errors.append(e)
        threads = [threading.Thread(target=build, args=(tag,), daemon=True) for tag in tags]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            raise errors[0]

    def readme_script(self, blocks, replacements, cwd, env=None, timeout=300):
        """Runs README blocks as one bash script, as written but for `replacements` (old → new strings) and
        `make image`, which is skipped because the harness built the image from the runtime stage already.
        Returns stdout; raises CheckFailed with the output if the script fails."""
        lines = []
        for code in blocks:
            for command in logical_commands(code):
                if command.lstrip().startswith("make image"):
                    command = ": " + shlex.quote(command)
                for old, new in replacements.items():
                    command = command.replace(old, new)
                lines.append(command)
        script = "set -eo pipefail\n" + "\n".join(lines) + "\n"
        p = subprocess.Popen(["bash", "-c", script], cwd=cwd, env=dict(self.engine.env, **(env or {})),
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
        try:
            out, _ = p.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            out, _ = p.communicate()
            raise CheckFailed(f"the README commands did not finish within {timeout} s:\n{out[-3000:]}")
        if p.returncode != 0:
            raise CheckFailed(f"the README commands failed (exit {p.returncode}):\n{out[-3000:]}\n--- script ---\n"
                              f"{script[-3000:]}")
        return out


def section_blocks(heading):
    blocks = [code for h, code in readme_blocks() if h == heading]
    if not blocks:
        raise CheckFailed(f"README has no sh block under the heading {heading!r}")
    return blocks


# ------------------------------------------------------------------------------------------- checks --

def check_image(h):
    """The image's configuration, contents and size."""
    info = json.loads(h.podman("image", "inspect", IMAGE).stdout)[0]
    config = info["Config"]
    if config.get("User") != "10001:10001":
        raise CheckFailed(f"the image's user is {config.get('User')!r}, not 10001:10001")
    test = " ".join((info.get("Healthcheck") or {}).get("Test") or [])
    if "/healthz" not in test:
        raise CheckFailed(f"the image has no HEALTHCHECK on /healthz (podman build --format docker keeps it): {test!r}")
    env = dict(e.split("=", 1) for e in config.get("Env", []))
    if set(env) - {"PATH", "INCOGNITA_HOST", "INCOGNITA_PORT"}:
        raise CheckFailed(f"unexpected environment baked into the image: {sorted(env)}")
    if "/data" not in (config.get("Volumes") or {}) or config.get("Entrypoint") != ["/app/incognita"]:
        raise CheckFailed(f"volume or entrypoint differ from the Dockerfile's: {config}")
    inside = h.docker("run", "--rm", "--entrypoint", "sh", IMAGE, "-c",
                      "dpkg-query -W -f '${Package}\\n'; echo ---; ldd /app/incognita; echo ---; "
                      "ls -A /data; find / -xdev \\( -name '*.key' -o -name '.env' \\) -print; echo ---; "
                      "command -v gcc cc c++ ld swift swiftc; "
                      "find /var/cache/apt /var/lib/apt/lists -type f -size +64k").stdout
    packages, ldd, files, leftovers = inside.split("---\n")
    dev = [p for p in packages.split() if p.endswith("-dev")]
    if dev or leftovers.strip():
        raise CheckFailed(f"build tools, headers or package caches in the image: {dev} {leftovers.split()}")
    if "not found" in ldd:
        raise CheckFailed(f"libraries missing in the image:\n{ldd}")
    if files.strip():
        raise CheckFailed(f"the image carries data, keys or environment files: {files.split()}")
    size_mb = info["Size"] / 1e6
    layers = json.loads(h.podman("history", "--format", "json", IMAGE).stdout)
    sized = [(layer["size"] / 1e6, layer.get("CreatedBy") or layer.get("createdBy") or "") for layer in layers
             if layer["size"] > 0]
    for mb, created in reversed(sized):
        log(f"       layer {mb:6.1f} MB  {re.sub(r'^/bin/sh -c (#[(]nop[)] )?', '', created)[:90]}")
    log(f"       image {size_mb:.1f} MB in all (budget {SIZE_BUDGET_MB} MB)")
    if size_mb > SIZE_BUDGET_MB:
        raise CheckFailed(f"the image is {size_mb:.1f} MB, over the {SIZE_BUDGET_MB} MB budget")


DOMAIN_REQUESTS = [
    # (what, method, path, body, check of the JSON answer)
    ("geodesics", "POST", "/v1/geodesics",
     {"density": {"kind": "gaussian", "mean": [0, 0], "covariance": [[1, 0.5], [0.5, 2]]},
      "metric": {"kind": "stein", "lambda": 1}, "from": [-1, 0], "to": [1, 0.5], "nodes": 16},
     lambda a: a["length"] >= a["euclideanDistance"] > 0),
    ("bounds", "POST", "/v1/bounds/sample-size",
     {"method": "chebyshev", "variance": 0.09, "epsilon": 0.01, "delta": 0.03},
     lambda a: str(a.get("n")) == "30000"),
    ("primes", "GET", "/v1/mersenne/4423?leading=5&trailing=5", None,
     lambda a: a.get("digits") == 1332 and a.get("leadingDigits") == "28554" and a.get("trailingDigits") == "80607"),
    ("s2", "GET", "/v1/s2/cells/47e66fd", None,
     lambda a: a.get("token") == "47e66fd" and a.get("level") == 12),
]


def check_job(h, base, headers=None):
    """A job at `base` (GMP, the job store, checkpoints in the data store): M20011 is composite, and its
    Lucas–Lehmer residue is 0x13BD055BF739119F (gmpy2 agrees)."""
    job = h.expect("POST", base + "/v1/primes/lucas-lehmer", 202, {"exponent": 20011}, headers)
    finished = h.wait_for("Lucas–Lehmer job 20011", lambda: (lambda j: j if j["status"] in ("succeeded", "failed") else None)(
        h.http("GET", f"{base}/v1/jobs/{job['id']}", headers=headers)[1]), timeout=120)
    if finished.get("result", {}).get("residue64") != "13BD055BF739119F":
        raise CheckFailed(f"Lucas–Lehmer 20011 at {base}: {finished}")
    return finished


def check_similarity_session(h, base, headers=None):
    """A loopback similarity session at `base`, created, accepted and polled: the README's sentences, with
    Bob's closer to Alice's first."""
    sentences = {"a": ["my cat loves to walk over my keyboard", "I like to pet my cat"],
                 "b": ["the cat is always walking over my keyboard"]}
    session = h.expect("POST", base + "/v1/similarity/sessions", 201,
                       {"peer": "loopback", "encoder": "hashing", "sentences": sentences["a"]}, headers)
    h.expect("POST", f"{base}/v1/similarity/sessions/{session['id']}/accept", 202, {"sentences": sentences["b"]},
             headers)
    done = h.wait_for("loopback similarity session", lambda: (lambda s: s if s["state"] in ("succeeded", "failed") else None)(
        h.http("GET", f"{base}/v1/similarity/sessions/{session['id']}", headers=headers)[1]))
    sims = (done.get("result") or {}).get("similarities")
    if done["state"] != "succeeded" or not (sims and sims[0][0] > sims[1][0]):
        raise CheckFailed(f"similarity session at {base}: {done}")


def check_container(h):
    """The README's "Containers" blocks as written, with every property of the running container between."""
    start, operate = section_blocks("Containers")[:2]
    port = free_port()
    moved = {"127.0.0.1:8080:8080": f"127.0.0.1:{port}:8080", "localhost:8080": f"127.0.0.1:{port}"}
    out = h.readme_script([start], moved, cwd=h.workdir)
    if '"status":"ok"' not in out.replace(" ", ""):
        raise CheckFailed(f"the README's curl of /healthz did not print ok: {out[-500:]}")
    name = re.search(r"--name\s+(\S+)", start).group(1)
    logs, logs_out, logs_err = h.follow("logs", "--follow", name)
    waiter, wait_out, _ = h.follow("wait", name)
    base = f"http://127.0.0.1:{port}"

    for what, method, path, body, ok in DOMAIN_REQUESTS:
        answer = h.expect(method, base + path, 200, body)
        if not ok(answer):
            raise CheckFailed(f"{what}: unexpected answer {str(answer)[:400]}")
    check_job(h, base)
    check_similarity_session(h, base)
    with open(os.path.join(ROOT, "openapi.yaml")) as f:
        if h.expect("GET", base + "/openapi.yaml") != f.read():
            raise CheckFailed("GET /openapi.yaml does not serve the repository's openapi.yaml (/app/openapi.yaml)")
    key = h.expect("GET", base + "/v1/similarity/identity")["publicKey"]

    status = h.docker("exec", name, "sh", "-c", "grep -E '^(Uid|Gid|CapEff|CapBnd|NoNewPrivs):' /proc/1/status").stdout
    fields = {line.split(":")[0]: line.split(":")[1].split() for line in status.splitlines()}
    if fields["Uid"] != ["10001"] * 4 or fields["Gid"] != ["10001"] * 4:
        raise CheckFailed(f"the process does not run as 10001:10001: {fields}")
    if set(fields["CapEff"] + fields["CapBnd"]) != {"0000000000000000"} or fields["NoNewPrivs"] != ["1"]:
        raise CheckFailed(f"the process keeps capabilities or may gain privileges: {fields}")
    writable = h.docker("exec", name, "sh", "-c",
                        "for d in / /app /etc /usr /var /home /data /tmp; do "
                        "touch $d/.w 2>/dev/null && echo $d && rm $d/.w; done; "
                        "ls /data/jobs | head -1; stat -c '%a %u' /data/similarity/identity.key").stdout.split("\n")
    if writable[:2] != ["/data", "/tmp"] or not writable[2] or writable[3] != "600 10001":
        raise CheckFailed(f"writable: {writable[:2]} (only /data and /tmp may be), job record {writable[2:3]}, "
                          f"identity key mode and owner {writable[3:4]}")
    inspect = json.loads(h.docker("inspect", name).stdout)[0]
    if not inspect["HostConfig"]["ReadonlyRootfs"]:
        raise CheckFailed("the container's root is not read-only")

    health = h.podman("healthcheck", "run", name, check=False)
    state = h.podman("inspect", "--format", "{{.State.Health.Status}}", name).stdout.strip()
    if health.returncode != 0 or state != "healthy":
        raise CheckFailed(f"HEALTHCHECK: exit {health.returncode} ({health.stdout}{health.stderr}), status {state!r}")

    # The README's second block: logs, a stop through the graceful shutdown, rm.
    started = time.monotonic()
    h.readme_script([operate], moved, cwd=h.workdir)
    stop_seconds = time.monotonic() - started
    out, err = h.read_followed(waiter, wait_out, _)
    if out.strip() != "0":
        raise CheckFailed(f"the container exited with {out.strip() or err.strip()!r} after docker stop, not 0")
    stdout_lines, stderr_text = h.read_followed(logs, logs_out, logs_err)
    events = []
    for line in stdout_lines.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            raise CheckFailed(f"a log line on stdout is not JSON: {line[:200]}")
        if not {"ts", "level", "msg"} <= set(record):
            raise CheckFailed(f"a log line lacks ts, level or msg: {line[:200]}")
        events.append(record["msg"])
    for needed in ("started", "request", "shutting down", "stopped"):
        if needed not in events:
            raise CheckFailed(f"no {needed!r} event among the logs ({sorted(set(events))})")
    if stderr_text.strip():
        raise CheckFailed(f"the container wrote to stderr: {stderr_text[:300]}")
    log(f"       graceful stop in {stop_seconds:.1f} s, exit 0; {len(events)} JSON log lines")

    # Upgrading as the README says: `docker run` again on the same volume keeps the identity.
    h.readme_script([start], moved, cwd=h.workdir)
    again = h.expect("GET", base + "/v1/similarity/identity")["publicKey"]
    if again != key:
        raise CheckFailed(f"a new container on the same volume has a new identity key ({key[:16]}… → {again[:16]}…)")

    # The same blocks with podman's own CLI in place of docker's, as the README says they work.
    h.docker("stop", name)
    h.docker("rm", name)
    with_podman = dict(moved, **{"docker ": "podman "})
    h.readme_script([start], with_podman, cwd=h.workdir)
    if h.expect("GET", base + "/v1/similarity/identity")["publicKey"] != key:
        raise CheckFailed("the container podman started on the same volume has another identity key")
    waiter, wait_out, wait_err = h.follow("wait", name)
    h.readme_script([operate], with_podman, cwd=h.workdir)
    out, err = h.read_followed(waiter, wait_out, wait_err)
    if out.strip() != "0":
        raise CheckFailed(f"`podman stop` ended the container with {out.strip() or err.strip()!r}, not 0")


def compose(h, project, file, *args, check=True):
    """`docker compose -f docker/FILE --env-file docker/.env ARGS` in a folder made by h.project(); FILE may be a
    list (the later files override the earlier, as compose merges them)."""
    files = [a for f in ([file] if isinstance(file, str) else file) for a in ("-f", f"docker/{f}")]
    return run(["docker", "compose", *files, "--env-file", "docker/.env", *args],
               env=h.engine.env, cwd=project, check=check)


def check_compose_demo(h):
    """The README's two-party compose demo as written, then its documented session between the containers."""
    project = h.project("demo")
    pairing, teardown = section_blocks("Two parties with docker compose")[:2]
    session = [code for code in section_blocks("A whole session with curl") if "incognita --port" not in code]
    p1, p2 = free_port(), free_port()
    moved = {"localhost:8081": f"127.0.0.1:{p1}", "localhost:8082": f"127.0.0.1:{p2}"}
    env = {"ALICE_PORT": str(p1), "BOB_PORT": str(p2)}
    final = f"""echo "FINAL $(curl -s -H "$A" localhost:8081/v1/similarity/sessions/$ID | jq -c '{{state, result}}')"\n"""
    out = h.readme_script([pairing] + session + [final], moved, cwd=project, env=env, timeout=300)
    match = re.search(r"^FINAL (.*)$", out, re.M)
    state = json.loads(match.group(1)) if match else {}
    sims = (state.get("result") or {}).get("similarities")
    if state.get("state") != "succeeded" or not (sims and len(sims) == 2 and sims[0][0] > sims[1][0]):
        raise CheckFailed(f"the session between alice and bob: {state or out[-2000:]}")

    # Each instance still has the key the other pinned (the volumes kept them across the recreation).
    settings = dict(line.split("=", 1) for line in open(os.path.join(project, "docker/.env")).read().splitlines()
                    if "=" in line and not line.startswith("#"))
    for me, port, token, peers in (("alice", p1, "ALICE_API_TOKEN", "BOB_PEERS"),
                                   ("bob", p2, "BOB_API_TOKEN", "ALICE_PEERS")):
        current = h.expect("GET", f"http://127.0.0.1:{port}/v1/similarity/identity",
                           headers={"Authorization": f"Bearer {settings[token]}"})["publicKey"]
        if not settings[peers].endswith("," + current):
            raise CheckFailed(f"{me}'s key {current[:16]}… is not the one pinned in {peers}: {settings[peers]}")
        if h.http("GET", f"http://127.0.0.1:{port}/v1/similarity/identity")[0] != 401:
            raise CheckFailed(f"{me} answers /v1/similarity/identity without its token")
    ids = compose(h, project, "compose.yaml", "ps", "-q").stdout.split()
    if len(ids) != 2:
        raise CheckFailed(f"expected the two containers alice and bob, found {ids}")
    for cid in ids:
        c = json.loads(h.docker("inspect", cid).stdout)[0]
        if not c["HostConfig"]["ReadonlyRootfs"] or c["Config"]["User"] != "10001:10001":
            raise CheckFailed(f"{c['Name']}: read-only {c['HostConfig']['ReadonlyRootfs']}, user {c['Config']['User']}")
    waiter, wait_out, wait_err = h.follow("wait", *ids)
    h.readme_script([teardown], moved, cwd=project, env=env)
    codes, err = h.read_followed(waiter, wait_out, wait_err)
    if codes.split() != ["0", "0"]:
        raise CheckFailed(f"`docker compose down` stopped alice and bob with exit codes {codes.split() or err!r}, not 0 and 0")


SCALE_REPLICAS = 3
SCALE_LEASE = 5  # seconds; the file's 30 would make the SIGKILL check wait half a minute
# A composite Mersenne number whose Lucas–Lehmer run lasts seconds even with the IBDWT on a fast machine, so the
# replica running it can be killed after its first checkpoint; its Res64 is gmpy2's, from the primes tests' fixture.
SCALE_EXPONENT = 193327


def scale_res64():
    path = os.path.join(ROOT, "Tests", "PrimesTests", "Fixtures", "ibdwt_residues.json")
    with open(path) as f:
        return next(c["ll"] for c in json.load(f)["residues"] if c["exponent"] == SCALE_EXPONENT)


def check_compose_scale(h):
    """docker/compose.scale.yaml as the README runs it: PostgreSQL, three replicas and nginx, everything through
    the balancer. A job is read from every replica, a similarity session runs with its messages forwarded
    between replicas, a replica killed mid-job loses its lease and another resumes the job from its checkpoint
    with the same Res64, and `down --volumes` leaves nothing behind."""
    t = time.monotonic()
    h.stand_ins("postgres:15-bookworm", "nginx:1.22")
    log(f"       stand-in postgres and nginx images ({elapsed(t)})")
    t = time.monotonic()
    project = h.project("scale")
    token = os.urandom(16).hex()
    port = free_port()
    with open(os.path.join(project, "docker", ".env"), "w") as f:
        f.write(f"API_TOKEN={token}\nPOSTGRES_PASSWORD={os.urandom(12).hex()}\nPEERS=\nHTTP_PORT={port}\n")
    # The only change to the file as shipped: a shorter job lease and checkpoint interval, so that a killed
    # replica's job moves on soon and has a checkpoint to resume from.
    with open(os.path.join(project, "docker", "compose.lease.yaml"), "w") as f:
        f.write(f'services:\n  incognita:\n    environment:\n      INCOGNITA_JOB_LEASE: "{SCALE_LEASE}"\n'
                f'      INCOGNITA_CHECKPOINT_SECONDS: "0.5"\n')
    files = ["compose.scale.yaml", "compose.lease.yaml"]
    h.engine.pump_healthchecks()  # postgres's healthcheck gates the replicas (depends_on: service_healthy)
    compose(h, project, files, "up", "-d", "--no-build", "--scale", f"incognita={SCALE_REPLICAS}")
    base = f"http://127.0.0.1:{port}"
    headers = {"Authorization": f"Bearer {token}"}

    def containers(service):
        return compose(h, project, files, "ps", "-q", service).stdout.split()
    replicas = containers("incognita")
    if len(replicas) != SCALE_REPLICAS or len(containers("postgres")) != 1 or len(containers("nginx")) != 1:
        raise CheckFailed(f"expected postgres, {SCALE_REPLICAS} replicas and nginx: {compose(h, project, files, 'ps').stdout}")
    hostnames = {json.loads(h.docker("inspect", c).stdout)[0]["Config"]["Hostname"]: c for c in replicas}
    # Each replica asked itself: through nginx a replica still starting is hidden (nginx retries a GET elsewhere).
    def replica_ready(container):
        return h.docker("exec", container, "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                        "http://127.0.0.1:8080/readyz", check=False).stdout.strip() == "200"
    h.wait_for("every replica ready", lambda: all(replica_ready(c) for c in replicas), timeout=60)
    h.wait_for("nginx answering", lambda: h.http("GET", base + "/readyz")[0] == 200, timeout=30)
    log(f"       up: postgres, {SCALE_REPLICAS} replicas, nginx ({elapsed(t)})")
    t = time.monotonic()

    def with_replica_errors(step):
        """Runs `step`; when it fails, the replicas' last error and warning log lines go with the failure."""
        try:
            return step()
        except CheckFailed as e:
            lines = []
            for c in replicas:
                out = h.docker("logs", c, check=False)
                found = [l for l in (out.stdout + out.stderr).splitlines()
                         if '"level":"error"' in l or '"level":"warning"' in l]
                lines += [f"       {c[:12]}: {l[:400]}" for l in found[-5:]]
            raise CheckFailed(f"{e}\n       replicas' errors and warnings:\n" + ("\n".join(lines) or "       (none)")) from e

    def on_replica(container, path):
        out = h.docker("exec", container, "curl", "-s", "-H", f"Authorization: Bearer {token}",
                       f"http://127.0.0.1:8080{path}").stdout
        return json.loads(out)

    def replica_of(instance):
        container = hostnames.get(instance.rsplit("-", 1)[0])
        if not container:
            raise CheckFailed(f"runningOn {instance!r} names none of the replicas {sorted(hostnames)}")
        return container

    # A job through nginx, visible on every replica.
    job_id = with_replica_errors(lambda: check_job(h, base))["id"]
    for c in replicas:
        doc = on_replica(c, f"/v1/jobs/{job_id}")
        if doc.get("status") != "succeeded" or doc.get("result", {}).get("residue64") != "13BD055BF739119F":
            raise CheckFailed(f"replica {c[:12]} does not see job {job_id} as it ended: {doc}")

    # A loopback session: created on one replica, accepted and polled through nginx on any other.
    with_replica_errors(lambda: check_similarity_session(h, base, headers))

    log(f"       a job read on every replica, a session through nginx ({elapsed(t)})")
    t = time.monotonic()
    # SIGKILL the replica running a long job: another resumes it from the checkpoint after the lease.
    reference = scale_res64()
    job = h.expect("POST", base + "/v1/primes/lucas-lehmer", 202, {"exponent": SCALE_EXPONENT})

    def psql(query):
        return h.docker("exec", containers("postgres")[0], "psql", "-U", "incognita", "-d", "incognita",
                        "-tAc", query).stdout.strip()

    def checkpointed():
        doc = h.http("GET", f"{base}/v1/jobs/{job['id']}")[1]
        if doc.get("runningOn") and psql(f"SELECT count(*) FROM job_checkpoints WHERE job_id = '{job['id']}'") == "1":
            return doc
    doc = h.wait_for("the long job running with a checkpoint", checkpointed, timeout=60, interval=0.1)
    log(f"       long job checkpointed on {doc['runningOn']} ({elapsed(t)})")
    victim = replica_of(doc["runningOn"])
    h.docker("kill", victim)
    killed = time.monotonic()
    survivors = [c for c in replicas if c != victim]

    def resumed():
        d = on_replica(survivors[0], f"/v1/jobs/{job['id']}")
        if d.get("status") == "succeeded" or (d.get("runningOn") and replica_of(d["runningOn"]) != victim):
            return d
    moved = h.wait_for("another replica resuming the killed replica's job", resumed, timeout=SCALE_LEASE + 30)
    resumed_after = time.monotonic() - killed
    log(f"       resumed ({elapsed(t)})")
    final = h.wait_for("the resumed job's end", lambda: (lambda d: d if d.get("status") in ("succeeded", "failed") else None)(
        on_replica(survivors[0], f"/v1/jobs/{job['id']}")), timeout=120)
    runs = psql(f"SELECT runs FROM jobs WHERE id = '{job['id']}'")
    if final.get("result", {}).get("residue64") != reference or runs != "2":
        raise CheckFailed(f"the job after the kill: {final} (runs {runs}); expected Res64 {reference} in 2 runs")
    if resumed_after > SCALE_LEASE + 10:
        raise CheckFailed(f"the job moved on {resumed_after:.1f} s after the kill (lease {SCALE_LEASE} s)")
    log(f"       job resumed on {moved.get('runningOn') or 'another replica'} {resumed_after:.1f} s after SIGKILL; "
        f"Res64 {reference}")

    # Every replica's log lines are JSON with its instance id.
    for c in survivors:
        lines = [json.loads(line) for line in h.docker("logs", c).stdout.splitlines() if line.startswith("{")]
        if not lines or any("instance" not in r for r in lines):
            raise CheckFailed(f"replica {c[:12]}: log lines without the instance id: "
                              f"{[r for r in lines if 'instance' not in r][:2]}")

    t = time.monotonic()
    compose(h, project, files, "down", "--volumes", "--timeout", "20")
    left = h.podman("ps", "--all", "--quiet").stdout.split() + \
        [v for v in h.podman("volume", "ls", "--quiet").stdout.split()]
    if left:
        raise CheckFailed(f"`docker compose down --volumes` left containers or volumes: {left}")
    log(f"       down ({elapsed(t)})")


CHECKS = [
    ("image", check_image),
    ("container", check_container),
    ("compose-demo", check_compose_demo),
    ("compose-scale", check_compose_scale),
]


# --------------------------------------------------------------------------------------------- main --

def work_parent():
    """Where the run's folder goes: RAM (/dev/shm) when it has room, as the storage is written and removed in
    seconds there (a busy disk takes tens of seconds to delete the same ~5,000 files); else the temp folder."""
    override = os.environ.get("INCOGNITA_CONTAINER_TMP")
    if override:
        return override
    try:
        st = os.statvfs("/dev/shm")
        if st.f_bavail * st.f_frsize > 4 << 30 and os.access("/dev/shm", os.W_OK):
            return "/dev/shm"
    except OSError:
        pass
    return tempfile.gettempdir()


def new_workdir():
    sweep_stale_workdirs()
    workdir = tempfile.mkdtemp(prefix="incognita-containers-", dir=work_parent())
    with open(os.path.join(workdir, "owner.pid"), "w") as f:
        f.write(str(os.getpid()))
    return workdir


def prepare_base():
    """Only the Debian base, into the cache, for the run that follows (scripts/test.sh starts this early, in
    the background, so that debootstrap's downloads overlap the Swift build and tests)."""
    workdir = new_workdir()
    t = time.monotonic()
    try:
        _, how = debian_base_tarball(workdir)
        log(f"  base: debian:bookworm-slim from {how} ({elapsed(t)})")
    except CheckFailed as e:
        log(f"  base: not prepared ahead ({e}); the container checks will try again")
    finally:
        cleanup_workdir(workdir)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", help="comma-separated check names: " + ", ".join(n for n, _ in CHECKS))
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder's logs (not the engine)")
    parser.add_argument("--prepare-base", action="store_true", help="only make the cached Debian base, then exit")
    options = parser.parse_args()
    chosen = [c for c in CHECKS if not options.only or c[0] in options.only.split(",")]
    for tool in ("podman", "docker", "debootstrap", "runc", "curl", "jq"):
        if shutil.which(tool) is None:
            sys.exit(f"container checks: {tool} is not installed (make test-deps installs what they need)")
    if os.geteuid() != 0:
        sys.exit("container checks: debootstrap and rootful podman need root")

    def interrupted(signum, _frame):
        raise SystemExit(f"interrupted by signal {signum}")
    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGHUP, interrupted)
    if options.prepare_base:
        prepare_base()
        return

    workdir = new_workdir()
    passed, failed = [], []
    engine = None
    h = None
    t0 = time.monotonic()
    try:
        # The base (debootstrap: network and dpkg) and the binary (compiler and linker) at the same time.
        base = {}

        def make_base():
            t = time.monotonic()
            try:
                base["tar"], how = debian_base_tarball(workdir)
                base["log"] = f"  base: debian:bookworm-slim from {how} ({elapsed(t)})"
            except Exception as e:  # reported below
                base["error"] = e
        builder = threading.Thread(target=make_base, daemon=True)
        builder.start()
        t = time.monotonic()
        staging = os.path.join(workdir, "binary")
        os.makedirs(staging)
        binary = static_binary(staging)
        log(f"  binary: static-stdlib link of the suite's release build, stripped, "
            f"{os.path.getsize(binary) / 1e6:.1f} MB ({elapsed(t)})")
        builder.join()
        if "error" in base:
            raise base["error"]
        log(base["log"])

        t = time.monotonic()
        engine = PrivatePodman(workdir)
        engine.start()
        h = Harness(workdir, engine)
        engine.podman("import", "--change", 'CMD ["bash"]', "--change",
                      "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", base["tar"], BASE_IMAGE)
        context = runtime_context(workdir, binary)
        # --network host: the build's apt-get needs no bridge; --format docker keeps the HEALTHCHECK.
        build = engine.podman("build", "--format", "docker", "--network", "host", "--tag", IMAGE, context,
                              check=False, timeout=900)
        if build.returncode != 0:
            raise CheckFailed(f"building the runtime stage failed:\n{(build.stdout + build.stderr)[-3000:]}")
        log(f"  image: {IMAGE} from docker/Dockerfile's runtime stage ({elapsed(t)})")

        for name, check in chosen:
            t = time.monotonic()
            try:
                check(h)
                passed.append(name)
                log(f"ok   {name} ({elapsed(t)})")
            except Exception as e:
                failed.append(name)
                log(f"FAIL {name} ({elapsed(t)}): {type(e).__name__ + ': ' if not isinstance(e, CheckFailed) else ''}{e}")
            finally:
                h.stop_background()
                engine.remove_everything()
    except Exception as e:
        log(f"FAIL setting up the container checks: {type(e).__name__}: {e}")
        failed.append("setup")
    finally:
        t = time.monotonic()
        if h:
            h.stop_background()
        if engine:
            engine.stop()
        if options.keep:
            log(f"  logs kept in {workdir}")
        else:
            try:
                cleanup_workdir(workdir)
            except CheckFailed as e:
                log(f"FAIL cleanup: {e}")
                failed.append("cleanup")
        log(f"  cleanup ({elapsed(t)}); container checks took {elapsed(t0)} in all")
    log(f"containers: {len(passed)} passed, {len(failed)} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
