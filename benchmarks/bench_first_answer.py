"""Time of the first answer of a fresh process: ``aigc_magic.ask`` of a canonical prose.

Each run is a new Python process with a fresh IPython shell that has done ``%load_ext
aigc_magic``, as a fresh kernel has, so the time includes every lazy import and whatever the
planner prepares on first use. It prints the
median and the spread over ``--runs`` processes, for the first and the second ask, and the
time ``%load_ext aigc_magic`` takes in a fresh IPython shell. Next to the wall time it prints the
CPU time of the first ask (``time.process_time``, this process and the threads it ran on): on
a machine shared with other work the wall time also holds the waits for a core, the CPU time
does not.

    python benchmarks/bench_first_answer.py --runs 7
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys

PROSE = "计算10000以内的所有质数"

# A fresh kernel: IPython is loaded and the extension is loaded (``%load_ext aigc_magic``);
# the clock runs from the ask to its answer, as a person waits for the first cell.
_FIRST = """
import json, time
from IPython.core.interactiveshell import InteractiveShell
shell = InteractiveShell.instance()
shell.run_line_magic("load_ext", "aigc_magic")
import aigc_magic
t0, c0 = time.perf_counter(), time.process_time()
r = aigc_magic.ask({prose!r}, namespace=shell.user_ns, planner="offline")
t1, c1 = time.perf_counter(), time.process_time()
assert r.value[-1] == 9973, r.value[-1]
r2 = aigc_magic.ask({prose!r}, namespace=shell.user_ns, planner="offline")
t2 = time.perf_counter()
print(json.dumps({{
    "first": t1 - t0, "first_cpu": c1 - c0, "second": t2 - t1, "plan": r.timings.get("plan")
}}))
"""

_LOAD_EXT = """
import json, time
from IPython.core.interactiveshell import InteractiveShell
shell = InteractiveShell.instance()
t = time.perf_counter()
shell.run_line_magic("load_ext", "aigc_magic")
print(json.dumps({"load_ext": time.perf_counter() - t}))
"""


def _run(code: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--prose", default=PROSE)
    args = parser.parse_args(argv)
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        print(
            "note: PYTHONDONTWRITEBYTECODE is set: where no __pycache__ exists yet, every "
            "process compiles the package from source, which an installed package never does. "
            "Unset it (one run writes the caches) to measure what a user waits for."
        )
    runs = [_run(_FIRST.format(prose=args.prose)) for _ in range(args.runs)]
    loads = [_run(_LOAD_EXT)["load_ext"] for _ in range(args.runs)]
    for key in ("first", "first_cpu", "plan", "second"):
        values = [r[key] for r in runs if r.get(key) is not None]
        print(
            f"{key:>9} ask: median {statistics.median(values):.3f} s "
            f"(min {min(values):.3f}, max {max(values):.3f}, {len(values)} fresh processes)"
        )
    print(
        f"load_ext: median {statistics.median(loads):.3f} s (min {min(loads):.3f}, "
        f"max {max(loads):.3f})"
    )


if __name__ == "__main__":
    main()
