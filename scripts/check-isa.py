#!/usr/bin/env python3
"""Checks that the incognita binary runs on any x86-64 processor: vector instructions beyond the baseline appear
only in the kernels built for one processor generation, which the program chooses at run time from cpuid + XCR0.

The numeric kernels (prime squaring, transformer GEMM and friends) are compiled three times: a portable build, an
AVX2+FMA build and an AVX-512 build (Package.swift, `-target-cpu` for those modules only). On a processor without
AVX-512, or an OS that does not save its registers, the AVX-512 build must never run, and nothing else in the
binary may contain an instruction that would fault there. Tests that force each build run on the machine at hand,
which has AVX-512: an instruction from the wrong generation in the AVX2 or portable code would pass them and crash
elsewhere. This disassembles the binary (objdump) and fails when
  - a function uses VEX/EVEX (AVX) instructions and is not code of an AVX2 or AVX-512 build (its symbol names the
    AVX2 or AVX512 module or ISA type), or
  - a function uses AVX-512 (zmm or opmask registers, x/ymm16-31, AVX-512-only instructions) and is not code of
    the AVX-512 build,
and also when it finds no AVX-512 or no AVX2 kernel at all (the parse would then prove nothing).

Usage: check-isa.py [BINARY]   (default .build/release/incognita)
"""
import re
import subprocess
import sys

FUNCTION = re.compile(r"^[0-9a-f]+ <(.+)>:$")
EVEX_REGISTER = re.compile(r"%zmm\d+|%k[0-7]\b|\{%k[1-7]\}|%[xy]mm(1[6-9]|2\d|3[01])\b")
# Instructions that exist only with EVEX encoding (AVX-512F/VL/DQ/BW/CD), whatever registers they use.
EVEX_ONLY = re.compile(r"^(vpternlog|vperm[it]2|vpcompress|vpexpand|vcompress|vexpand|vrcp14|vrsqrt14|vgetexp|"
                       r"vgetmant|vfixupimm|vrndscale|vreduce|vscalef|vrange|vfpclass|vpconflict|vplzcnt|vpmov[a-z0-9]*2m|"
                       r"vpmovm2|vpmovq|vpmovd[bw]|vpmovw[b]|vpmovs|vpmovus|valign[dq]|vpro[lr]|vpsra[q]|vpabsq|"
                       r"vpmaxsq|vpmaxuq|vpminsq|vpminuq|vpmullq|vcvt[a-z0-9]*2u|vcvtu|vpbroadcastm|vdbpsadbw|vpermw|"
                       r"vpsllv[w]|vpsrlv[w]|vpsrav[wq]|vptestm|vptestnm|vpcmpu?[bwdq]\b|vcmpp[sd].*%k|k[a-z]+)")


def classify(mnemonic: str, operands: str) -> tuple[bool, bool]:
    """(uses AVX at all, uses AVX-512) for one instruction."""
    evex = bool(EVEX_REGISTER.search(operands)) or bool(EVEX_ONLY.match(mnemonic))
    vex = evex or (mnemonic.startswith("v") and mnemonic not in ("verr", "verw"))
    return vex, evex


def main() -> int:
    binary = sys.argv[1] if len(sys.argv) > 1 else ".build/release/incognita"
    try:
        listing = subprocess.run(["objdump", "-d", "--no-show-raw-insn", binary], check=True, capture_output=True,
                                 text=True).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        print(f"check-isa: cannot disassemble {binary}: {error}")
        return 1
    avx: dict[str, bool] = {}  # function -> uses AVX-512
    function = None
    for line in listing.splitlines():
        match = FUNCTION.match(line)
        if match:
            function = match.group(1)
            continue
        if function is None or "\t" not in line:
            continue
        fields = line.split("\t")
        if len(fields) < 2:
            continue
        parts = fields[1].split(None, 1)
        if not parts:
            continue
        mnemonic = parts[0]
        if mnemonic in ("rep", "repz", "repnz", "lock", "notrack", "bnd", "data16", "cs", "ds") and len(parts) > 1:
            parts = parts[1].split(None, 1)
            mnemonic = parts[0]
        vex, evex = classify(mnemonic, parts[1] if len(parts) > 1 else "")
        if vex:
            avx[function] = avx.get(function, False) or evex
    wrong = []
    for name, uses512 in sorted(avx.items()):
        if uses512 and "AVX512" not in name:
            wrong.append(f"AVX-512 instructions outside the AVX-512 kernels: {name}")
        elif not uses512 and "AVX2" not in name and "AVX512" not in name:
            wrong.append(f"AVX instructions outside the AVX2/AVX-512 kernels: {name}")
    with512 = sum(1 for name, uses512 in avx.items() if uses512)
    with2 = sum(1 for name, uses512 in avx.items() if not uses512 and "AVX2" in name)
    if with512 == 0 or with2 == 0:
        wrong.append(f"expected AVX2 and AVX-512 kernels in {binary}, found {with2} and {with512} functions")
    for message in wrong[:40]:
        print("check-isa:", message)
    if wrong:
        print(f"check-isa: {len(wrong)} problem(s) in {binary}")
        return 1
    print(f"check-isa: {binary}: {len(avx)} functions use AVX, all in the kernels built for it "
          f"({with2} AVX2, {with512} AVX-512); everything else is baseline x86-64")
    return 0


if __name__ == "__main__":
    sys.exit(main())
