"""The ``aigc-magic`` command line.

::

    aigc-magic ask "how many primes below 1e6"      # plan, run, print code, answer, explanation
    aigc-magic demo [examples/quickstart.ipynb]      # run a notebook headless, print each answer
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ._inputs import PLANNER_CHOICES, SAFETY_MODES


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``aigc-magic``; returns the process exit code."""
    parser = argparse.ArgumentParser(
        prog="aigc-magic",
        description="Type a compute task in prose; get it planned, run in parallel and explained.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    p_ask = commands.add_parser("ask", help="plan, run and explain a task written in prose")
    p_ask.add_argument("prose", nargs="+", help="the task, in English or Chinese")
    p_ask.add_argument("--no-run", action="store_true", help="print the plan without running")
    p_ask.add_argument(
        "-y",
        "--yes",
        action="store_true",
        help="consent to run code that the safety policy flagged",
    )
    p_ask.add_argument("--planner", choices=PLANNER_CHOICES, default="auto")
    p_ask.add_argument("--safety", choices=SAFETY_MODES, default="ask")

    p_demo = commands.add_parser(
        "demo",
        help="execute a notebook headless in a real kernel and print each prompt with its answer",
    )
    p_demo.add_argument("notebook", nargs="?", default="examples/quickstart.ipynb")
    p_demo.add_argument(
        "--timeout", type=int, default=600, help="seconds a cell may run (default 600)"
    )

    args = parser.parse_args(argv)
    if args.command == "ask":
        return _ask(args)
    from ._demo import run_demo

    return run_demo(args.notebook, timeout=args.timeout)


def _ask(args: argparse.Namespace) -> int:
    from ._inputs import fresh_namespace
    from .engine import ask
    from .errors import AigcError
    from .ui import install
    from .ui.text import render_text

    install(None)  # a text progress bar on stderr while the work runs
    try:
        result = ask(
            " ".join(args.prose),
            namespace=fresh_namespace(),
            run=not args.no_run,
            planner=args.planner,
            safety=args.safety,
            yes=args.yes,
        )
    except AigcError as exc:
        print(f"aigc-magic: {exc}", file=sys.stderr)
        return 2
    print(render_text(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
