"""Time of the first answer of a fresh process: ``aigc_magic.ask`` of a canonical prose.

Each run is a new Python process with a fresh IPython shell that has done ``%load_ext
aigc_magic``, as a fresh kernel has, so the time includes every lazy import and whatever the
planner prepares on first use. It prints the
median and the spread over ``--runs`` processes, for the first and the second ask, and the
time ``%load_ext aigc_magic`` takes in a fresh IPython shell.

    python benchmarks/bench_first_answer.py --runs 7
"""

from __future__ import annotations

import argparse
import json
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
t0 = time.perf_counter()
r = aigc_magic.ask({prose!r}, namespace=shell.user_ns, planner="offline")
t1 = time.perf_counter()
assert r.value[-1] == 9973, r.value[-1]
r2 = aigc_magic.ask({prose!r}, namespace=shell.user_ns, planner="offline")
t2 = time.perf_counter()
print(json.dumps({{"first": t1 - t0, "second": t2 - t1, "plan": r.timings.get("plan")}}))
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
    runs = [_run(_FIRST.format(prose=args.prose)) for _ in range(args.runs)]
    loads = [_run(_LOAD_EXT)["load_ext"] for _ in range(args.runs)]
    for key in ("first", "plan", "second"):
        values = [r[key] for r in runs if r.get(key) is not None]
        print(
            f"{key:>8} ask: median {statistics.median(values):.3f} s "
            f"(min {min(values):.3f}, max {max(values):.3f}, {len(values)} fresh processes)"
        )
    print(
        f"load_ext: median {statistics.median(loads):.3f} s (min {min(loads):.3f}, "
        f"max {max(loads):.3f})"
    )


if __name__ == "__main__":
    main()
