#!/usr/bin/env python3
"""Sends N sequential GET requests over one keep-alive connection and checks every answer is 200.

Usage: keepalive_client.py PORT N [PATH]   (used by instructions.sh, where the server runs under valgrind)
"""
import socket
import sys

port, count = int(sys.argv[1]), int(sys.argv[2])
path = sys.argv[3] if len(sys.argv) > 3 else "/healthz"
request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: keepalive_client\r\nAccept: */*\r\n\r\n".encode()
s = socket.create_connection(("127.0.0.1", port), timeout=60)
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
buffered = b""
for i in range(count):
    s.sendall(request)
    while b"\r\n\r\n" not in buffered:
        chunk = s.recv(65536)
        if not chunk:
            sys.exit(f"connection closed after {i} responses")
        buffered += chunk
    head, _, buffered = buffered.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    if b" 200 " not in lines[0] + b" ":
        sys.exit(f"response {i}: {lines[0]!r}")
    length = next(int(l.split(b":", 1)[1]) for l in lines[1:] if l.lower().startswith(b"content-length:"))
    while len(buffered) < length:
        buffered += s.recv(65536)
    buffered = buffered[length:]
s.close()
