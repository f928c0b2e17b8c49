"""Reading README.md's ```sh blocks so that tests can run them as written (scripts/readme-examples.py for the
native binary, scripts/container-test.py for the container image and the compose demo), plus the two small
network helpers both need."""
import os
import socket
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def readme_blocks(path=os.path.join(ROOT, "README.md")):
    with open(path) as f:
        return sh_blocks(f.read())


def sh_blocks(text):
    """(heading, code) for every ```sh block, heading = the nearest markdown heading above it."""
    blocks, heading = [], ""
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("#"):
            heading = line.lstrip("#").strip()
        if line.strip() == "```sh":
            body = []
            i += 1
            while i < len(lines) and lines[i].strip() != "```":
                body.append(lines[i])
                i += 1
            blocks.append((heading, "\n".join(body)))
        i += 1
    return blocks


def logical_commands(code):
    """Joins backslash continuations and multi-line quoted -d '…' arguments into whole commands."""
    commands, current = [], ""
    for line in code.splitlines():
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        current = current + ("\n" if current else "") + line
        if current.endswith("\\"):
            continue
        if current.count("'") % 2 == 1:  # inside a single-quoted JSON body
            continue
        commands.append(current)
        current = ""
    if current:
        commands.append(current)
    return commands


def is_container_block(block):
    """A block of the container sections: it drives docker (or podman), not the native binary."""
    heading, code = block
    return "docker " in code or "docker" in heading.lower() or heading == "Containers"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_ready(port, timeout=20.0, path="/healthz"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=1) as r:
                if r.status == 200:
                    return
        except Exception:
            time.sleep(0.1)
    raise RuntimeError(f"server on port {port} did not become ready")
