#!/usr/bin/env python3
"""Renders the service's three pictures to SVG and PNG so that a person can look at them:
the bounds plot (POST /v1/bounds/compare), the geodesic over density contours (POST /v1/geodesics) and
an S2 covering (POST /v1/s2/coverings), each asked for with `Accept: image/svg+xml` from the release binary,
then converted with rsvg-convert (Debian librsvg2-bin). Each PNG must be a PNG of the SVG's size; a
picture that rsvg-convert cannot read (malformed SVG) fails.

  python3 scripts/pictures.py BINARY OUTDIR      (make pictures: OUTDIR = docs/pictures, committed examples)

The suite runs it into a temporary folder and prints where the PNGs are. To regenerate the committed
examples after changing a picture: `make pictures`, look at docs/pictures/*.png, commit them."""
import json, os, pathlib, re, shutil, socket, struct, subprocess, sys, tempfile, time, urllib.request

PICTURES = {
    "bounds-poisson": ("/v1/bounds/compare",
                       {"distribution": {"family": "poisson", "lambda": 40}, "event": {"tail": "upper", "threshold": 80}}),
    "bounds-binomial-mean": ("/v1/bounds/compare",
                             {"distribution": {"family": "sampleMean", "n": 40, "of": {"family": "binomial", "n": 1, "p": 0.3}},
                              "event": {"tail": "twoSided", "threshold": 0.15}}),
    "geodesic": ("/v1/geodesics",
                 {"density": {"kind": "gaussian", "mean": [0, 0], "covariance": [[1, 0.5], [0.5, 2]]},
                  "metric": {"kind": "stein", "lambda": 10}, "from": [-2, 0], "to": [2, 0.5]}),
    "covering": ("/v1/s2/coverings",
                 {"region": {"cap": {"center": {"lat": -30.1, "lng": -51.2}, "radiusMeters": 5000}}, "maxCells": 16}),
}


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def png_size(path):
    data = pathlib.Path(path).read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", data[16:24])


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    binary, out = sys.argv[1], pathlib.Path(sys.argv[2])
    if shutil.which("rsvg-convert") is None:
        sys.exit("rsvg-convert is missing: apt-get install -y librsvg2-bin (make deps installs it)")
    out.mkdir(parents=True, exist_ok=True)
    port = free_port()
    data = tempfile.mkdtemp()
    server = subprocess.Popen([binary, "--host", "127.0.0.1", "--port", str(port), "--data-dir", data, "--access-log", "false"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    problems = []
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        for name, (path, body) in PICTURES.items():
            req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=json.dumps(body).encode(), method="POST",
                                         headers={"Content-Type": "application/json", "Accept": "image/svg+xml"})
            with urllib.request.urlopen(req, timeout=120) as r:
                svg = r.read()
                kind = r.headers.get("Content-Type")
            if kind != "image/svg+xml":
                problems.append(f"{name}: {kind}")
                continue
            (out / f"{name}.svg").write_bytes(svg)
            png = out / f"{name}.png"
            p = subprocess.run(["rsvg-convert", "--background-color", "white", "-o", str(png), str(out / f"{name}.svg")],
                               capture_output=True, text=True, timeout=120)
            m = re.search(rb'<svg[^>]*width="(\d+)"[^>]*height="(\d+)"', svg)
            size = png_size(png) if p.returncode == 0 and png.exists() else None
            if p.returncode != 0 or size is None:
                problems.append(f"{name}: rsvg-convert failed: {p.stderr.strip()[:300]}")
            elif m and size != (int(m.group(1)), int(m.group(2))):
                problems.append(f"{name}: PNG is {size}, the SVG says {m.group(1)}×{m.group(2)}")
            else:
                print(f"{name}: {png} ({size[0]}×{size[1]}, {png.stat().st_size} bytes)")
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(data, ignore_errors=True)
    if problems:
        sys.exit("pictures:\n  " + "\n  ".join(problems))


if __name__ == "__main__":
    main()
