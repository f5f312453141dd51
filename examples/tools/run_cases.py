#!/usr/bin/env python3
"""Run the checked-in .wasm contracts against manifest.txt / bench.txt /
wide.txt with wabt's reference interpreter (`spectest-interp`, Debian package
`wabt`), and report how many interpreter steps each case took.

Usage: run_cases.py [--no-count] [FILE.txt...]
       (default: manifest.txt bench.txt wide.txt)

For every case line a WebAssembly script (.wast) `assert_return` is generated
and run. The step count is the number of lines of `spectest-interp --trace`
output for that call: wabt's internal instructions, which are within a few
percent of the executed wasm instructions (it folds block/loop/end away and
splits a taken br_if into two steps). The trace is counted as it streams
(the benchmark-size cases print millions of lines). Each case runs on a fresh
instance. Exit status 1 if any case fails.
"""
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def parse(path):
    cases = []
    with open(path) as f:
        for lineno, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            fields = line.split()
            if len(fields) != 4:
                raise SystemExit("%s:%d: expected 4 fields" % (path, lineno))
            contract, export, args, results = fields
            to_list = lambda s: [] if s == "-" else [int(x) for x in s.split(",")]  # noqa: E731
            cases.append((lineno, contract, export, to_list(args), to_list(results)))
    return cases


def wast_for(contract, cases):
    with open(os.path.join(HERE, contract, contract + ".wasm"), "rb") as f:
        data = f.read()
    out = ['(module binary "%s")' % "".join("\\%02x" % b for b in data)]
    for _, _, export, args, results in cases:
        out.append('(assert_return (invoke "%s"%s)%s)' % (
            export,
            "".join(" (i32.const %d)" % a for a in args),
            "".join(" (i32.const %d)" % r for r in results)))
    return "\n".join(out) + "\n"


TRACE_STEP = re.compile(r"#\d+\.\s+\d+: V:\d+\s+\|")


def run_json(cmd):
    """Runs spectest-interp; returns (passed, trace steps, last non-trace lines)."""
    steps = 0
    tail = []
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True) as proc:
        for line in proc.stdout:
            if line.startswith("#"):
                if TRACE_STEP.match(line):
                    steps += 1
                continue
            tail = (tail + [line.rstrip("\n")])[-20:]
    # The module itself counts as one "test", the assert_return as the other.
    passed = proc.returncode == 0 and any("2/2 tests passed" in l for l in tail)
    return passed, steps, tail


def run(path, count):
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for case in parse(path):
            lineno, contract, export, args, results = case
            base = os.path.join(tmp, "case%d" % lineno)
            with open(base + ".wast", "w") as f:
                f.write(wast_for(contract, [case]))
            subprocess.run(["wast2json", base + ".wast", "-o", base + ".json"], check=True)
            cmd = ["spectest-interp", "-C", "100000"] + (["--trace"] if count else [])
            passed, steps_n, tail = run_json(cmd + [base + ".json"])
            steps = "  %8d steps" % steps_n if count else ""
            print("%s:%-3d %-9s %-16s %-30s -> %-11s %s%s" % (
                os.path.basename(path), lineno, contract, export,
                ",".join(map(str, args)) or "-", ",".join(map(str, results)) or "-",
                "ok" if passed else "FAIL", steps))
            if not passed:
                failed += 1
                for line in tail[-5:]:
                    print("    " + line)
    return failed


def main():
    args = sys.argv[1:]
    count = True
    if args and args[0] == "--no-count":
        count = False
        args = args[1:]
    paths = args or [os.path.join(HERE, name) for name in ("manifest.txt", "bench.txt", "wide.txt")]
    failed = sum(run(p, count) for p in paths)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
