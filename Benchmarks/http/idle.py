#!/usr/bin/env python3
"""Idle keep-alive test against a running incognita (started by idle.sh).

1. Opens N keep-alive connections (default 10,000); on each sends one `GET /healthz` and reads the whole
   response, then leaves the connection open and idle.
2. Holds them for --hold seconds, then times --fresh (default 100) requests on fresh connections, one after the
   other, each on its own new connection (connect, request, full response, close): p50 / p99 / max.
3. Checks that every held connection is still open (poll: not readable, no hang-up) and still works: sends a
   second request on each and reads its 200.
4. Reports the server's peak RSS (VmHWM from /proc/PID/status) and checks it is under --rss-limit-mib.

Exits 0 only when every check passes. Standard library only.
"""
import argparse
import resource
import select
import socket
import statistics
import sys
import time

REQUEST = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: incognita-idle-test\r\n\r\n"
CLOSE_REQUEST = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"


def proc_status_kib(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/{pid}/status")


def read_response(sock, deadline_s=10.0):
    """Reads one full HTTP/1.1 response (Content-Length framing) and returns (status, body)."""
    sock.settimeout(deadline_s)
    buf = b""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(4096)
        if not chunk:
            raise ConnectionError("closed before the response head")
        buf += chunk
    head, _, rest = buf.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ")[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(rest) < length:
        chunk = sock.recv(4096)
        if not chunk:
            raise ConnectionError("closed inside the response body")
        rest += chunk
    return status, rest[:length]


def connect(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def open_connections_gauge(port):
    """The server's own count of open connections from GET /metrics (None if absent)."""
    s = connect(port)
    s.sendall(b"GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    status, body = read_response(s)
    s.close()
    for line in body.decode("utf-8", "replace").splitlines():
        if line.startswith("incognita_open_connections "):
            return float(line.split()[1])
    return None


def percentile(sorted_values, q):
    """Nearest-rank percentile: the smallest value with at least q% of the values at or below it."""
    if not sorted_values:
        return float("nan")
    rank = max(1, -(-len(sorted_values) * q // 100))  # ceil(n q / 100)
    return sorted_values[int(rank) - 1]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--pid", type=int, required=True, help="server PID, for /proc/PID/status")
    p.add_argument("--connections", type=int, default=10_000)
    p.add_argument("--hold", type=float, default=10.0, help="seconds to hold the idle connections")
    p.add_argument("--fresh", type=int, default=100, help="fresh requests timed while the connections are held")
    p.add_argument("--rss-limit-mib", type=float, default=256.0)
    p.add_argument("--fresh-p99-limit-ms", type=float, default=100.0,
                   help="largest acceptable p99 of the fresh requests (a loaded shared box is noisy)")
    a = p.parse_args()

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = a.connections + a.fresh + 256
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(want, hard), hard))
        soft = min(want, hard)
    if soft < want:
        print(f"idle: open-file limit {soft} < {want} needed; raise `ulimit -n`", file=sys.stderr)
        return 2

    failures = []
    rss_start = proc_status_kib(a.pid, "VmRSS")
    print(f"server pid {a.pid}: RSS at start {rss_start / 1024:.1f} MiB")

    # 1. Open the connections, one request each.
    held = []
    t0 = time.monotonic()
    for i in range(a.connections):
        try:
            s = connect(a.port)
            s.sendall(REQUEST)
            status, body = read_response(s)
        except OSError as e:
            failures.append(f"connection {i}: {e!r}")
            break
        if status != 200:
            failures.append(f"connection {i}: status {status}")
            s.close()
            break
        held.append(s)
        if (i + 1) % 2000 == 0:
            print(f"  {i + 1} connections open, server RSS {proc_status_kib(a.pid, 'VmRSS') / 1024:.1f} MiB")
    open_s = time.monotonic() - t0
    print(f"opened {len(held)} keep-alive connections (one request each) in {open_s:.1f} s")
    rss_open = proc_status_kib(a.pid, "VmRSS")
    print(f"server RSS with {len(held)} connections open: {rss_open / 1024:.1f} MiB "
          f"({(rss_open - rss_start) * 1024 / max(1, len(held)):.0f} bytes per connection)")

    # 2. Hold, then time fresh requests on new connections.
    time.sleep(a.hold)
    gauge = open_connections_gauge(a.port)
    print(f"server's incognita_open_connections gauge while held: {gauge}")
    latencies = []
    for i in range(a.fresh):
        t = time.perf_counter()
        try:
            s = connect(a.port)
            s.sendall(CLOSE_REQUEST)
            status, body = read_response(s)
            s.close()
        except OSError as e:
            failures.append(f"fresh request {i}: {e!r}")
            continue
        latencies.append((time.perf_counter() - t) * 1000)
        if status != 200 or body != b'{"status":"ok"}':
            failures.append(f"fresh request {i}: status {status} body {body!r}")
    latencies.sort()
    if latencies:
        p50, p99, mx = percentile(latencies, 50), percentile(latencies, 99), latencies[-1]
        print(f"{len(latencies)} fresh requests (new connection each) while {len(held)} are held: "
              f"p50 {p50:.2f} ms, p99 {p99:.2f} ms, max {mx:.2f} ms")
        if p99 > a.fresh_p99_limit_ms:
            failures.append(f"fresh-request p99 {p99:.1f} ms > {a.fresh_p99_limit_ms} ms")

    # 3. Are the held connections still open, and do they still answer?
    poller = select.poll()
    by_fd = {}
    for s in held:
        poller.register(s, select.POLLIN | select.POLLHUP | select.POLLERR | select.POLLRDHUP)
        by_fd[s.fileno()] = s
    events = poller.poll(0)
    closed_by_server = len(events)
    print(f"held connections closed by the server after {a.hold:.0f} s idle: {closed_by_server}")
    if closed_by_server:
        failures.append(f"{closed_by_server} held connections were closed or became readable")
    answered = 0
    t = time.monotonic()
    for s in held:
        try:
            s.sendall(REQUEST)
            status, _ = read_response(s)
            if status == 200:
                answered += 1
        except OSError:
            pass
    print(f"held connections answering a second request: {answered}/{len(held)} ({time.monotonic() - t:.1f} s)")
    if answered != a.connections:
        failures.append(f"only {answered} of {a.connections} held connections answered a second request")

    # 4. Peak RSS.
    hwm = proc_status_kib(a.pid, "VmHWM")
    print(f"server peak RSS (VmHWM): {hwm / 1024:.1f} MiB (limit {a.rss_limit_mib:.0f} MiB)")
    if hwm / 1024 >= a.rss_limit_mib:
        failures.append(f"peak RSS {hwm / 1024:.1f} MiB >= {a.rss_limit_mib} MiB")

    for s in held:
        s.close()
    if failures:
        print("FAILED:")
        for f in failures[:20]:
            print("  " + f)
        return 1
    print(f"PASSED: {a.connections} idle keep-alive connections held, fresh requests answered, peak RSS under "
          f"{a.rss_limit_mib:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
