#!/usr/bin/env python3
"""The scale-out benchmark (see run.sh): job overhead local vs PostgreSQL; /healthz and a mixed load
through nginx with 1 and 3 replicas. Prints a Markdown report with the load averages before and after."""
import json, os, re, shutil, signal, socket, subprocess, sys, tempfile, time, http.client

ROOT = os.getcwd()
BIN = os.path.join(ROOT, ".build/release/incognita")
PG = "/usr/lib/postgresql/15/bin"
JOBS = int(os.environ.get("SCALE_JOBS", "40"))
SECONDS = int(os.environ.get("SCALE_SECONDS", "10"))
EXPONENT = 21011          # a Lucas–Lehmer job (> 20,000), ≈ 0.1–0.3 s of GMP work
work = tempfile.mkdtemp(prefix="incognita-scale-bench-")
os.chmod(work, 0o755)   # the postgres user must reach its folder inside
procs = []


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def as_postgres(cmd):
    return ["setpriv", "--reuid=postgres", "--regid=postgres", "--clear-groups"] + cmd if os.geteuid() == 0 else cmd


def start(cmd, log):
    p = subprocess.Popen(cmd, stdout=open(log, "w"), stderr=subprocess.STDOUT)
    procs.append(p)
    return p


def stop(p):
    if p.poll() is None:
        p.send_signal(signal.SIGTERM)
        try: p.wait(15)
        except subprocess.TimeoutExpired: p.kill(); p.wait()


def wait_http(port, path="/healthz", timeout=30):
    end = time.time() + timeout
    while time.time() < end:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=1); c.request("GET", path)
            if c.getresponse().status == 200: return
        except OSError: pass
        time.sleep(0.05)
    raise SystemExit(f"nothing answered on {port}{path}")


def postgres():
    os.makedirs(f"{work}/pg/run")
    if os.geteuid() == 0: subprocess.run(["chown", "-R", "postgres:postgres", f"{work}/pg"], check=True)
    subprocess.run(as_postgres([f"{PG}/initdb", "-D", f"{work}/pg/data", "-U", "postgres", "-A", "trust", "--no-sync"]),
                   check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    # The defaults a deployment would run with (fsync on): the overhead includes durable commits.
    p = start(as_postgres([f"{PG}/postgres", "-D", f"{work}/pg/data", "-p", str(port), "-c", "listen_addresses=127.0.0.1",
                           "-c", f"unix_socket_directories={work}/pg/run", "-c", "max_connections=200"]), f"{work}/pg.log")
    for _ in range(200):
        if subprocess.run([f"{PG}/pg_isready", "-h", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL).returncode == 0: break
        time.sleep(0.05)
    return p, port


def createdb(pgport, name):
    subprocess.run([f"{PG}/psql", "-h", "127.0.0.1", "-p", str(pgport), "-U", "postgres", "-q", "-c", f"CREATE DATABASE {name}"], check=True)
    return f"postgres://postgres@127.0.0.1:{pgport}/{name}"


def replica(name, extra):
    port = free_port()
    data = f"{work}/{name}"
    args = [BIN, "--host", "127.0.0.1", "--port", str(port), "--data-dir", data, "--access-log", "false",
            "--instance-id", name, "--advertise-url", f"http://127.0.0.1:{port}", "--max-jobs", "2"] + extra
    p = start(args, f"{work}/{name}.log")
    wait_http(port)
    return p, port


def job_latency(port):
    """POST a job, then follow its event stream to the result: seconds from the POST to the result event."""
    t0 = time.perf_counter()
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    c.request("POST", "/v1/primes/lucas-lehmer", json.dumps({"exponent": EXPONENT}), {"Content-Type": "application/json"})
    r = c.getresponse(); doc = json.loads(r.read())
    assert r.status == 202, (r.status, doc)
    c.request("GET", f"/v1/jobs/{doc['id']}/events")
    r = c.getresponse()
    while True:
        line = r.fp.readline()
        if not line: raise SystemExit("event stream ended early")
        if line.startswith(b"event: result"): break
        if line.startswith(b"event: error"): raise SystemExit("job failed")
    t = time.perf_counter() - t0
    c.close()
    return t


def percentile(xs, q):
    xs = sorted(xs); return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f: parts = f.read().rsplit(")", 1)[1].split()
    return (int(parts[11]) + int(parts[12])) / os.sysconf("SC_CLK_TCK")


def wrk(port, script, connections=64):
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{SECONDS}s", "--latency"]
    if script: cmd += ["-s", script]
    out = subprocess.run(cmd + [f"http://127.0.0.1:{port}/healthz"], capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    def ms(label):
        m = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)", out)
        v = float(m.group(1)); return v / 1000 if m.group(2) == "us" else (v * 1000 if m.group(2) == "s" else v)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return rps, ms("50"), ms("99"), int(bad.group(1)) if bad else 0, errors.group(1) if errors else "none"


MIXED = f"{work}/mixed.lua"


def main():
    load_before = open("/proc/loadavg").read().split()[:3]
    with open(MIXED, "w") as f:
        f.write("""
local reqs = {
  {"GET", "/healthz", nil},
  {"GET", "/v1/s2/cells?lat=48.8584&lng=2.2945&level=15", nil},
  {"GET", "/v1/digits?base=2&exponent=1000000007&leading=20&trailing=20", nil},
  {"POST", "/v1/bounds/hoeffding", '{"n":100,"lower":0,"upper":1,"deviation":0.1,"tail":"twoSided"}'},
  {"GET", "/v1/mersenne/82589933", nil},
}
local i = 0
request = function()
  i = i + 1
  local r = reqs[(i % #reqs) + 1]
  local headers = {}
  if r[3] then headers["Content-Type"] = "application/json" end
  return wrk.format(r[1], r[2], headers, r[3])
end
""")
    pgproc, pgport = postgres()
    report = []

    # 1. Job overhead: the same jobs, one at a time, local store vs database.
    results = {}
    for mode in ["local", "database"]:
        extra = ["--database-url", createdb(pgport, "jobs")] if mode == "database" else []
        p, port = replica(f"jobs-{mode}", extra)
        for _ in range(3): job_latency(port)   # warm-up
        cpu0 = cpu_seconds(p.pid)
        xs = [job_latency(port) for _ in range(JOBS)]
        cpu = (cpu_seconds(p.pid) - cpu0) / JOBS
        results[mode] = (percentile(xs, 0.5), percentile(xs, 0.99), cpu)
        stop(p)
    (l50, l99, lcpu), (d50, d99, dcpu) = results["local"], results["database"]
    report.append(f"| job POST → result event, LL p={EXPONENT}, {JOBS} jobs one at a time | local store | {l50*1000:.1f} ms | {l99*1000:.1f} ms | {lcpu*1000:.1f} ms |")
    report.append(f"| | PostgreSQL | {d50*1000:.1f} ms | {d99*1000:.1f} ms | {dcpu*1000:.1f} ms |")
    report.append(f"| | overhead (database − local) | {(d50-l50)*1000:+.1f} ms | {(d99-l99)*1000:+.1f} ms | {(dcpu-lcpu)*1000:+.1f} ms |")

    # 2. Through nginx: 1 then 3 replicas sharing the database.
    url = createdb(pgport, "balanced")
    rows = []
    for n, keepalive in [(1, True), (1, False), (3, True)]:
        reps = [replica(f"web{n}{'k' if keepalive else ''}-{i}", ["--database-url", url]) for i in range(n)]
        lbport = free_port()
        tag = f"nginx{n}{'k' if keepalive else ''}"
        os.makedirs(f"{work}/{tag}/logs", exist_ok=True)
        servers = "\n".join(f"server 127.0.0.1:{port} max_fails=1 fail_timeout=2s;" for _, port in reps)
        rules = open(os.path.join(ROOT, "docker/nginx/proxy.conf")).read()
        if keepalive:
            # As shipped (docker/nginx/incognita.conf): upstream connections reused, idle ones closed after 4 s.
            servers += "\nkeepalive 32;\nkeepalive_timeout 4s;"
        else:
            # For comparison: one upstream connection per request.
            rules = rules.replace('proxy_set_header Connection "";', 'proxy_set_header Connection "close";')
        user = "user root;\n" if os.geteuid() == 0 else ""
        conf = f"""{user}worker_processes 1; pid {work}/{tag}/nginx.pid; error_log {work}/{tag}/logs/error.log warn;
events {{ worker_connections 4096; }}
http {{ access_log off; client_body_temp_path {work}/{tag}/body; proxy_temp_path {work}/{tag}/proxy;
fastcgi_temp_path {work}/{tag}/f; uwsgi_temp_path {work}/{tag}/u; scgi_temp_path {work}/{tag}/s;
upstream incognita {{ {servers} }}
server {{ listen 127.0.0.1:{lbport};
{rules}
}} }}"""
        open(f"{work}/{tag}/nginx.conf", "w").write(conf)
        ng = start(["nginx", "-p", f"{work}/{tag}", "-c", f"{work}/{tag}/nginx.conf", "-g", "daemon off;"], f"{work}/{tag}.log")
        wait_http(lbport)
        via = "through nginx" if keepalive else "through nginx, a connection per request (not shipped)"
        if n == 1 and keepalive:
            direct = wrk(reps[0][1], None)
            rows.append(f"| `GET /healthz` direct to one replica (no nginx) | 1 | {direct[0]:,.0f} | {direct[1]:.2f} ms | {direct[2]:.2f} ms | {direct[3]} | {direct[4]} |")
        health = wrk(lbport, None)
        rows.append(f"| `GET /healthz` {via} | {n} | {health[0]:,.0f} | {health[1]:.2f} ms | {health[2]:.2f} ms | {health[3]} | {health[4]} |")
        if keepalive:
            mixed = wrk(lbport, MIXED)
            rows.append(f"| mixed (health, S2, digits, bounds, mersenne) {via} | {n} | {mixed[0]:,.0f} | {mixed[1]:.2f} ms | {mixed[2]:.2f} ms | {mixed[3]} | {mixed[4]} |")
        stop(ng)
        for p, _ in reps: stop(p)
    stop(pgproc)
    load_after = open("/proc/loadavg").read().split()[:3]
    print(f"load average before: {' '.join(load_before)}; after: {' '.join(load_after)}; {os.cpu_count()} cores\n")
    print("| what | store | p50 | p99 | server CPU per job |\n|---|---|---:|---:|---:|")
    print("\n".join(report))
    print(f"\nwrk -t2 -c64 -d{SECONDS}s (client, nginx, PostgreSQL and replicas on the same cores)\n")
    print("| load | replicas | req/s | p50 | p99 | non-2xx | socket errors |\n|---|---:|---:|---:|---:|---:|---|")
    print("\n".join(rows))


try:
    main()
finally:
    for p in reversed(procs): stop(p)
    shutil.rmtree(work, ignore_errors=True)
