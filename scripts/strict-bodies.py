#!/usr/bin/env python3
"""Every JSON request body of the service is strict, checked against the live binary from the contract
itself: for each operation of openapi.yaml with a JSON request body, each of its examples is sent
  1. as written: never refused for an unknown member;
  2. with an unknown member added to each object in it (the first element of each array), one at a
     time: 422 naming exactly that member by its full path (`region.rect.lo.zzUnknown`);
  3. with each number in it replaced by 1e400, -1e400 and 1e999999999: never 400 without a position,
     never 5xx; a 422 names that very field.
A new endpoint with a JSON body and an example is covered without touching this script.
Usage: python3 scripts/strict-bodies.py .build/release/incognita"""
import json, pathlib, socket, subprocess, sys, tempfile, time, urllib.request, urllib.error

import yaml

root = pathlib.Path(__file__).resolve().parent.parent
binary = sys.argv[1] if len(sys.argv) > 1 else str(root / ".build/release/incognita")
spec = yaml.safe_load((root / "openapi.yaml").read_text())
UNKNOWN = "zzUnknown"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def post(port, method, path, body: bytes):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body, method=method.upper(),
                                 headers={"Content-Type": "application/json", "Accept": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def objects(value, path=""):
    """(path, object) for every object in value, following the first element of arrays."""
    if isinstance(value, dict):
        yield path, value
        for k, v in value.items():
            yield from objects(v, f"{path}.{k}" if path else k)
    elif isinstance(value, list) and value:
        yield from objects(value[0], f"{path}[0]")


def numbers(value, path=""):
    """(path, setter) for every number, following the first element of arrays."""
    if isinstance(value, dict):
        for k, v in value.items():
            p = f"{path}.{k}" if path else k
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                yield p, value, k
            else:
                yield from numbers(v, p)
    elif isinstance(value, list) and value:
        if isinstance(value[0], (int, float)) and not isinstance(value[0], bool):
            yield f"{path}[0]", value, 0
        else:
            yield from numbers(value[0], f"{path}[0]")


def session_id(port):
    """A loopback similarity session to accept (the accept route answers 404 for an unknown session first)."""
    status, reply = post(port, "post", "/v1/similarity/sessions",
                         json.dumps({"peer": "loopback", "sentences": ["a cat"], "encoder": "hashing"}).encode())
    return json.loads(reply)["id"] if status in (200, 201, 202) else "0" * 32


def fill(path, op, port):
    for parameter in op.get("parameters") or []:
        if parameter.get("in") == "path":
            schema = parameter.get("schema") or {}
            example = parameter.get("example", (schema.get("enum") or ["00000000000000000000000000000000"])[0])
            path = path.replace("{" + parameter["name"] + "}", str(example))
    return path.replace("{id}", session_id(port)) if "{id}" in path else path


def main():
    port = free_port()
    data = tempfile.mkdtemp()
    log = open(pathlib.Path(data) / "server.log", "w")
    server = subprocess.Popen([binary, "--host", "127.0.0.1", "--port", str(port), "--data-dir", data,
                               "--access-log", "false", "--compute-timeout", "10"], stdout=log, stderr=log)
    problems, sent, operations = [], 0, 0
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        for raw_path, item in spec["paths"].items():
            for method, op in item.items():
                if not isinstance(op, dict):
                    continue
                body = (((op.get("requestBody") or {}).get("content")) or {}).get("application/json")
                if not body:
                    continue
                examples = [(n, e["value"]) for n, e in (body.get("examples") or {}).items() if "value" in e]
                if "example" in body:
                    examples.append(("example", body["example"]))
                if not examples:
                    problems.append(f"{method.upper()} {raw_path}: no example to check strictness with")
                    continue
                operations += 1
                for name, example in examples:
                    path = fill(raw_path, op, port)
                    if raw_path == "/v1/bounds/{name}":
                        path = f"/v1/bounds/{name}"
                    where = f"{method.upper()} {path} ({name})"
                    status, reply = post(port, method, path, json.dumps(example).encode())
                    sent += 1
                    if status == 422 and b"is not a field" in reply:
                        problems.append(f"{where}: the example itself is refused: {reply[:200]!r}")
                    for object_path, obj in list(objects(example)):
                        obj[UNKNOWN] = 1
                        expected = f"{object_path}.{UNKNOWN}" if object_path else UNKNOWN
                        status, reply = post(port, method, path, json.dumps(example).encode())
                        del obj[UNKNOWN]
                        sent += 1
                        fields = []
                        try:
                            fields = [e["field"] for e in json.loads(reply).get("errors", [])]
                        except ValueError:
                            pass
                        if status != 422 or expected not in fields:
                            problems.append(f"{where}: unknown member {expected}: {status} {reply[:200]!r}")
                    for number_path, container, key in list(numbers(example)):
                        saved = container[key]
                        for literal in ("1e400", "-1e400", "1e999999999"):
                            container[key] = "@@NUMBER@@"
                            text = json.dumps(example).replace('"@@NUMBER@@"', literal)
                            container[key] = saved
                            status, reply = post(port, method, path, text.encode())
                            sent += 1
                            doc = {}
                            try:
                                doc = json.loads(reply)
                            except ValueError:
                                pass
                            fields = [e["field"] for e in doc.get("errors", [])]
                            if status >= 500 or (status == 400 and "line" not in doc.get("detail", "")):
                                problems.append(f"{where}: {number_path} = {literal}: {status} {reply[:200]!r}")
                            elif status == 422 and number_path not in fields and not any(f.startswith(number_path) for f in fields):
                                problems.append(f"{where}: {number_path} = {literal}: 422 names {fields}, not the field")
    finally:
        server.terminate()
        server.wait(timeout=10)
    if server.returncode not in (0, -15):
        problems.append(f"the server exited with {server.returncode}")
    if problems:
        print("strict request bodies:\n  " + "\n  ".join(problems))
        sys.exit(1)
    print(f"strict request bodies: {operations} operations, {sent} requests, every unknown member and out-of-range number named")


if __name__ == "__main__":
    main()
