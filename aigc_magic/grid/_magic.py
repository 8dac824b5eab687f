"""``%ask workers ...`` and ``%ask scheduler ...``: the grid's workers and what it learned.

The magic only forwards its line to :func:`workers_command` or :func:`scheduler_command`,
which return views that render as text and as HTML::

    %ask workers                                   # the table
    %ask workers connect tls://10.0.0.5:8786 --tls-ca ca.pem --tls-cert me.pem --tls-key me.key
    %ask workers connect tcp://10.0.0.5:8786 --insecure
    %ask workers local 4
    %ask workers disconnect
    %ask scheduler                                 # per workload: arm, predicted vs observed
    %ask scheduler --reset                         # forget it all
"""

from __future__ import annotations

import argparse
import difflib
import html
import shlex
from dataclasses import dataclass, field
from typing import Any, ClassVar, NoReturn

from IPython.core.error import UsageError

from ..errors import GridError
from . import explain
from .arms import Arm

__all__ = ["SchedulerView", "WorkersView", "scheduler_command", "workers_command"]

SUBCOMMANDS = ("connect", "disconnect", "local", "list")
USAGE = (
    "%ask workers [list | connect ADDRESS [--tls-ca F --tls-cert F --tls-key F] "
    "[--insecure] [--only] | local [N] [--only] | disconnect]"
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message}\nUsage: {USAGE}")


def _parser() -> _Parser:
    parser = _Parser(prog="%ask workers", add_help=False)
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    conn = sub.add_parser("connect", add_help=False)
    conn.add_argument("address")
    conn.add_argument("--tls-ca", help="CA certificate (PEM) that signed the scheduler's")
    conn.add_argument("--tls-cert", help="this client's certificate (PEM)")
    conn.add_argument("--tls-key", help="this client's private key (PEM)")
    conn.add_argument(
        "--insecure", action="store_true", help="allow plaintext tcp:// to another machine"
    )
    conn.add_argument("--timeout", type=float, default=10.0)
    loc = sub.add_parser("local", add_help=False)
    loc.add_argument("n", nargs="?", type=int, default=None)
    loc.add_argument("--threads-per-worker", type=int, default=1)
    for sub_parser in (conn, loc):
        sub_parser.add_argument(
            "--only", action="store_true", help="send every call to the cluster, however small"
        )
    sub.add_parser("disconnect", add_help=False)
    sub.add_parser("list", add_help=False)
    return parser


def _size(n: float) -> str:
    if n <= 0:
        return "-"
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024:
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TiB"


@dataclass
class WorkersView:
    """What ``%ask workers`` shows: a headline and one row per worker."""

    headline: str
    rows: list[tuple[str, ...]] = field(default_factory=list)
    client: Any = None

    columns: ClassVar[tuple[str, ...]] = ("worker", "cores", "memory", "load")

    def __str__(self) -> str:
        if not self.rows:
            return self.headline
        widths = [max(len(c), *(len(r[i]) for r in self.rows)) for i, c in enumerate(self.columns)]
        line = "  ".join(c.ljust(w) for c, w in zip(self.columns, widths, strict=True))
        body = ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in self.rows]
        return "\n".join([self.headline, line, "  ".join("-" * w for w in widths), *body])

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        p.text(str(self))

    def _repr_html_(self) -> str:
        head = f"<p>{html.escape(self.headline)}</p>"
        if not self.rows:
            return head
        th = "".join(f"<th>{html.escape(c)}</th>" for c in self.columns)
        trs = "".join(
            "<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in r) + "</tr>" for r in self.rows
        )
        return f"{head}<table><thead><tr>{th}</tr></thead><tbody>{trs}</tbody></table>"


def _table(headline: str | None = None) -> WorkersView:
    from joblib import cpu_count

    from .remote import current_client, workers

    client = current_client()
    if client is None:
        return WorkersView(
            headline
            or f"No cluster connected: the grid uses this machine's {cpu_count()} "
            "cores (threads or loky processes). Connect one with "
            "%ask workers connect tls://HOST:PORT --tls-ca F --tls-cert F --tls-key F, "
            "or start one here with %ask workers local N."
        )
    from .nodes import cluster_state
    from .remote import is_only

    only = is_only(client)
    state = cluster_state(client, fresh=True)
    assigned = {w.address: w.processing for w in state.workers}
    infos = workers()
    rows: list[tuple[str, ...]] = [
        (
            w.address,
            str(w.cores),
            f"{_size(w.memory_used)} / {_size(w.memory_limit)}",
            f"{assigned.get(w.address, w.executing)} tasks assigned, {w.cpu_percent:.0f}% CPU",
        )
        for w in infos
    ]
    cores = sum(w.cores for w in infos)
    scheduler = getattr(client, "scheduler", None)
    where = getattr(scheduler, "address", "") or "the cluster"
    link = f"round trip {explain.format_seconds(state.rtt)}"
    if state.bandwidth is not None:
        link += f", {state.bandwidth / 1e6:.0f} MB/s to the scheduler"
    placement = (
        "every call runs there (--only)"
        if only
        else f"each call runs there or on this machine's {cpu_count()} cores, whichever is "
        "predicted (then measured) faster"
    )
    head = headline or (
        f"Connected to {where}: {len(infos)} workers, {cores} cores ({state.busy} busy); "
        f"{link}; {placement}."
    )
    return WorkersView(head, rows, client)


def workers_command(line: str) -> WorkersView:
    """Run ``%ask workers LINE`` and return what to display.

    Raises
    ------
    IPython.core.error.UsageError
        A malformed line, a refused address, or a cluster that cannot be reached.
    """
    argv = shlex.split(line)
    if argv and argv[0] == "workers":
        argv = argv[1:]
    if argv and not argv[0].startswith("-") and argv[0] not in SUBCOMMANDS:
        close = difflib.get_close_matches(argv[0], SUBCOMMANDS, n=1)
        hint = f" Did you mean `%ask workers {close[0]}`?" if close else ""
        raise UsageError(f"Unknown workers command {argv[0]!r}.{hint}\nUsage: {USAGE}")
    args = _parser().parse_args(argv)
    from . import remote

    try:
        if args.command == "connect":
            remote.connect(
                args.address,
                tls_ca=args.tls_ca,
                tls_cert=args.tls_cert,
                tls_key=args.tls_key,
                insecure=args.insecure,
                timeout=args.timeout,
                only=args.only,
            )
        elif args.command == "local":
            remote.local(args.n, threads_per_worker=args.threads_per_worker, only=args.only)
        elif args.command == "disconnect":
            remote.disconnect()
            return _table("Disconnected: the grid uses this machine's cores again.")
    except GridError as exc:
        raise UsageError(str(exc)) from exc
    return _table()


class SchedulerView(WorkersView):
    """What ``%ask scheduler`` shows: one row per workload signature learned here."""

    columns: ClassVar[tuple[str, ...]] = (
        "workload",
        "per task",
        "arm",
        "predicted",
        "observed",
        "runs",
    )


def _seconds(s: float | None) -> str:
    return "-" if s is None else explain.format_seconds(s)


def _workload_rows(workloads: dict[str, Any]) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for sig, work in reversed(list(workloads.items())):  # the most recent first
        arms = work.get("arms") or {}
        if not arms:
            continue
        # the arm the policy settled on: the most runs, then the fastest last run
        key, stats = min(arms.items(), key=lambda kv: (-kv[1].runs, kv[1].last_seconds))
        name = sig.split("(")[0].rsplit(".", 1)[-1].split("@")[0]
        rows.append(
            (
                name,
                _seconds(work.get("t")),
                explain.arm_cell(Arm.from_key(key)),
                _seconds(stats.predicted),
                _seconds(stats.last_seconds),
                str(work.get("runs", 0)),
            )
        )
    return rows


def scheduler_command(line: str) -> SchedulerView:
    """Run ``%ask scheduler LINE``: show what the scheduler learned, or ``--reset`` it.

    Raises
    ------
    IPython.core.error.UsageError
        An unknown option.
    """
    from . import state
    from .features import machine_fingerprint
    from .scheduler import get_policy

    argv = shlex.split(line)
    if argv and argv[0] == "scheduler":
        argv = argv[1:]
    usage = "%ask scheduler [--reset]"
    if any(a not in ("--reset", "-r") for a in argv):
        raise UsageError(f"Unknown scheduler option {argv[0]!r}.\nUsage: {usage}")
    policy = get_policy()
    path = state.state_path()
    learner = policy if state.is_learner(policy) else None
    if argv:
        if learner is not None:
            state.reset(learner, path)
        return SchedulerView(
            f"The scheduler forgot everything it had learned ({path} "
            "removed); the next calls start from its cost model."
        )
    if learner is not None:
        state.autosaver.touch(learner)
    where = machine_fingerprint()
    profiles = learner.to_json() if learner is not None else {}
    rows = _workload_rows((profiles.get(where) or {}).get("workloads", {}))
    others = sum(len(p.get("workloads", {})) for w, p in profiles.items() if w != where)
    elsewhere = f" (and {others} on other machines or clusters)" if others else ""
    if not rows:
        return SchedulerView(
            f"Nothing learned yet on this machine ({where}){elsewhere}: "
            "the first call of each workload is decided by the cost model. "
            f"State file: {path}"
        )
    head = (
        f"Learned on this machine ({where}): {len(rows)} workload"
        f"{'s' if len(rows) != 1 else ''}{elsewhere}. State file: {path}"
    )
    return SchedulerView(head, rows)
