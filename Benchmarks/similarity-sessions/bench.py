#!/usr/bin/env python3
"""Two incognita instances ("alice", "bob") on 127.0.0.1, each with its own data directory, key
and port, paired by their public keys. For each workload: alice creates a session with her
vectors, bob accepts with his, and the client polls bob until the session has succeeded.

Reported per workload (median over the repeats, plus min/max):
  wall      time from bob's POST …/accept to the first GET that shows "succeeded" (client side,
            polling every millisecond, so it includes up to ~1 ms of polling slack)
  duration  the sessions's own stats.durationMs at bob (accept → result)
  bytes     bytes between the instances for the session (sealed bodies both ways, invitation included)
  roundTrips the protocol's HTTP request/response exchanges
The secure result is also checked against the plaintext cosine (|error| ≤ 1e-4).
"""
import argparse, json, math, os, random, shutil, signal, socket, statistics, subprocess, sys, tempfile, time
import urllib.request


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def call(port, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method,
                                 headers={"Content-Type": "application/json"} if data else {})
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            return r.status, json.loads(r.read() or b"{}")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


class Instance:
    def __init__(self, binary, name, datadir, port, peers):
        self.port = port
        args = [binary, "--host", "127.0.0.1", "--port", str(port), "--data-dir", datadir, "--access-log", "false",
                "--similarity-max-vectors", "100", "--similarity-max-products", "10000"]
        for p in peers:
            args += ["--peer", p]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                if call(port, "GET", "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"{name} did not start")

    def key(self):
        return call(self.port, "GET", "/v1/similarity/identity")[1]["publicKey"]

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def unit_vectors(rng, count, n):
    out = []
    for _ in range(count):
        v = [rng.gauss(0, 1) for _ in range(n)]
        s = math.sqrt(sum(x * x for x in v))
        out.append([x / s for x in v])
    return out


def run_session(alice, bob, a_vectors, b_vectors):
    status, doc = call(alice.port, "POST", "/v1/similarity/sessions", {"peer": "bob", "vectors": a_vectors})
    assert status == 201, doc
    sid = doc["id"]
    t0 = time.perf_counter()
    status, doc = call(bob.port, "POST", f"/v1/similarity/sessions/{sid}/accept", {"vectors": b_vectors})
    assert status == 202, doc
    while True:
        status, doc = call(bob.port, "GET", f"/v1/similarity/sessions/{sid}")
        if doc["state"] not in ("incoming", "running"):
            break
        time.sleep(0.001)
    wall = time.perf_counter() - t0
    assert doc["state"] == "succeeded", doc
    sims = doc["result"]["similarities"]
    worst = max(abs(sims[i][j] - sum(x * y for x, y in zip(a_vectors[i], b_vectors[j])))
                for i in range(len(a_vectors)) for j in range(len(b_vectors)))
    assert worst <= 1e-4, worst
    st = doc["stats"]
    call(alice.port, "DELETE", f"/v1/similarity/sessions/{sid}")
    call(bob.port, "DELETE", f"/v1/similarity/sessions/{sid}")
    return wall, st["durationMs"], st["bytesSent"] + st["bytesReceived"], st["roundTrips"], worst


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--repeats", type=int, default=7)
    args = ap.parse_args()
    root = tempfile.mkdtemp(prefix="incognita-bench-")
    adir, bdir = os.path.join(root, "alice"), os.path.join(root, "bob")
    ap_, bp = free_port(), free_port()
    # First start: each creates its key pair; then restart both, each pinning the other's key.
    a = Instance(args.bin, "alice", adir, ap_, [])
    b = Instance(args.bin, "bob", bdir, bp, [])
    ka, kb = a.key(), b.key()
    a.stop(); b.stop()
    alice = Instance(args.bin, "alice", adir, ap_, [f"bob=http://127.0.0.1:{bp},{kb}"])
    bob = Instance(args.bin, "bob", bdir, bp, [f"alice=http://127.0.0.1:{ap_},{ka}"])
    rng = random.Random(7)
    try:
        print(f"incognita: {args.bin}")
        print(f"{'workload':<18}{'wall ms (median [min, max])':>32}{'session ms':>12}{'bytes':>13}{'round trips':>13}{'max |err|':>11}")
        for n, p, q in [(4096, 2, 1), (384, 20, 20)]:
            a_vectors, b_vectors = unit_vectors(rng, p, n), unit_vectors(rng, q, n)
            run_session(alice, bob, a_vectors, b_vectors)  # warm-up (connections, page cache)
            rows = [run_session(alice, bob, a_vectors, b_vectors) for _ in range(args.repeats)]
            walls = sorted(r[0] * 1000 for r in rows)
            med = statistics.median(walls)
            print(f"{f'n={n} {p}x{q}':<18}{f'{med:.1f} [{walls[0]:.1f}, {walls[-1]:.1f}]':>32}"
                  f"{statistics.median(r[1] for r in rows):>12.0f}{rows[-1][2]:>13,}{rows[-1][3]:>13}{max(r[4] for r in rows):>11.1e}")
            if (n, p, q) == (4096, 2, 1):
                print(f"{'':<18}target < 300 ms wall: {'met' if med < 300 else 'NOT met'}")
    finally:
        alice.stop(); bob.stop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
