"""What a run did on the grid, gathered from the backend's progress events.

:class:`ScheduleRecorder` subscribes to :mod:`aigc_magic.grid.events` while a task runs and
condenses every ``Parallel(backend="aigc")`` call it saw into one :class:`Schedule`, which
``AskResult.schedule`` carries and the answer describes in the prose's language.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from . import events


@dataclass(frozen=True)
class Schedule:
    """How the work of one task was split and where it ran.

    Attributes
    ----------
    arm : str
        The arm of the largest call: ``"sequential"``, ``"threads"``, ``"loky"`` or ``"dask"``.
    n_workers : int
        Workers of that arm.
    n_tasks : int
        Tasks run over all calls.
    n_calls : int
        ``Parallel`` calls the task made.
    reason : str
        The scheduler's one-sentence reason for the arm.
    per_worker : dict
        Tasks run by each worker.
    elapsed : float
        Seconds spent inside ``Parallel`` calls.
    incidents : tuple of str
        One line per worker lost during the run.
    n_batches : int
        Batches the largest call ran, 0 when unknown.
    batch_range : tuple of int
        The smallest and largest of those batches, in tasks.
    facts : dict
        The structured parts of the reason (see :class:`~.arms.Reason`): ``batch_size``,
        ``item_seconds``, ``gil_free``, ``runner_up``, ``slowdown``, ``learned``; empty
        when the arm came from a fixed rule or another policy.
    """

    arm: str
    n_workers: int
    n_tasks: int
    n_calls: int
    reason: str = ""
    per_worker: dict[str, int] = field(default_factory=dict)
    elapsed: float = 0.0
    incidents: tuple[str, ...] = ()
    n_batches: int = 0
    batch_range: tuple[int, int] = (0, 0)
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def _sizes(self) -> str:
        """The batch sizes the largest call ran: ``"1"`` or ``"3–250"``."""
        low, high = self.batch_range
        return f"{low}" if low == high else f"{low}–{high}"

    @property
    def reason_as_run(self) -> str:
        """:attr:`reason` with the planned batching (``"batches of 25"``) replaced by the
        batches the largest call ran (``"8 batches of 1"``), when both are known. The
        planned size is only where batches start: joblib splits the rest of a short input
        finer, and guided sizing shrinks the last ones."""
        planned = self.facts.get("batching")
        detail, sep, why = self.reason.partition(": ")
        if not self.n_batches or not planned or f", {planned}" not in detail:
            return self.reason
        n = self.n_batches
        done = f"{n} batch{'es' if n != 1 else ''} of {self._sizes}"
        return detail.replace(f", {planned}", f", {done}", 1) + sep + why

    def describe(self, language: str = "en") -> str:
        """One or two sentences on how the work was split, in ``language``.

        The scheduler's reason reads ``"<arm in detail>: <why>"``; English answers use both
        parts. Chinese answers are rebuilt from :attr:`facts` (batch size, per-task time,
        GIL, the runner-up and its predicted slowdown) when the bandit chose the arm, and
        name the arm only when a fixed rule did (its reason text is English).
        """
        from .._lang import detect_language

        detail, _, why = self.reason_as_run.partition(": ")
        if language == "zh":
            calls = f"（共{self.n_calls}次并行调用）" if self.n_calls > 1 else ""
            batch = self.facts.get("batch_size")
            per = f"，分{self.n_batches}批、每批{self._sizes}个任务" if self.n_batches else \
                f"，每批{batch}个任务" if batch else ""
            text = (f"工作被分成{self.n_tasks}个任务{calls}，"
                    f"由{self.n_workers}个{_ARM_ZH.get(self.arm, self.arm)}执行{per}。")
            why_zh = _why_zh(self.facts)
            if why_zh:
                text += f"调度原因：{why_zh}。"
            elif self.reason and detect_language(self.reason) == "zh":
                text += f"调度原因：{self.reason}。"
            return text
        calls = f" over {self.n_calls} parallel calls" if self.n_calls > 1 else ""
        workers = detail if why else f"{self.n_workers} {_ARM_EN.get(self.arm, self.arm)}"
        text = (f"The work was split into {self.n_tasks} task"
                f"{'s' if self.n_tasks != 1 else ''}{calls} and run on {workers}")
        return text + (f", chosen because {why}." if why else ".")


_ARM_EN = {"sequential": "in-process worker", "threads": "threads",
           "loky": "loky processes", "dask": "Dask workers"}
_ARM_ZH = {"sequential": "进程内顺序执行单元", "threads": "线程",
           "loky": "loky进程", "dask": "Dask工作节点"}
_RUNNER_ZH = {"sequential": "在进程内顺序执行", "threads": "线程", "loky": "多进程",
              "dask": "Dask集群"}


def _seconds_zh(s: float) -> str:
    if s < 1e-3:
        return f"{s * 1e6:.0f}微秒" if s >= 1e-5 else f"{s * 1e6:.1f}微秒"
    if s < 1:
        return f"{s * 1e3:.0f}毫秒" if s >= 0.01 else f"{s * 1e3:.1f}毫秒"
    return f"{s:.1f}秒"


def _why_zh(facts: dict[str, Any]) -> str:
    """The bandit's reason in Chinese, from the structured facts; "" for rules."""
    t = facts.get("item_seconds")
    if t is None:
        return ""
    g = facts.get("gil_free")
    what = "" if g is None else \
        "的释放GIL的数值计算（numpy/BLAS）" if g >= 0.5 else "的纯Python计算"
    parts = [f"每个任务约{_seconds_zh(t)}{what}"]
    runner, slow = facts.get("runner_up"), facts.get("slowdown")
    if runner and slow:
        name = _RUNNER_ZH.get(runner, runner)
        if runner == facts.get("kind"):
            name = "其他配置"
        parts.append(f"{name}预计慢{slow:.1f}倍" if slow >= 1 else
                     f"正在试探此方案（{name}目前预计快{1 / slow:.1f}倍）")
    if facts.get("learned"):
        parts.append(f"参考了之前{facts['learned']}次运行")
    return "；".join(parts)


class ScheduleRecorder:
    """Context manager that records the grid events of the code run inside it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._started: dict[int, events.RunStarted] = {}
        self._finished: dict[int, events.RunFinished] = {}
        self._incidents: list[str] = []
        self._progress: dict[int, tuple[int, int | None]] = {}  # call -> (done, total)
        self._batches: dict[int, tuple[int, int, int]] = {}  # call -> (batches, min, max)
        self._unsubscribe: events.Callable[[], None] | None = None

    def __enter__(self) -> ScheduleRecorder:
        self._unsubscribe = events.subscribe(self._on_event)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def _on_event(self, event: events.Event) -> None:
        with self._lock:
            if isinstance(event, events.RunStarted):
                self._started[event.call_id] = event
            elif isinstance(event, events.RunFinished):
                self._finished[event.call_id] = event
            elif isinstance(event, events.WorkerLost):
                self._incidents.append(event.message)
            elif isinstance(event, events.BatchDone):
                self._progress[event.call_id] = (event.n_done, event.n_tasks)
                n, low, high = self._batches.get(event.call_id, (0, event.batch_size, 0))
                self._batches[event.call_id] = (n + 1, min(low, event.batch_size),
                                                max(high, event.batch_size))

    def progress(self) -> tuple[int, int | None, str | None]:
        """Tasks done and their total (None when unknown) over all calls so far, and the
        arm of the latest call: what an interrupted run reports."""
        with self._lock:
            done = sum(d for d, _ in self._progress.values())
            totals = [t for _, t in self._progress.values()]
            total = None if not totals or None in totals else sum(t or 0 for t in totals)
            latest = max(self._started) if self._started else None
            arm = self._started[latest].arm if latest is not None else None
            return done, total, arm

    @property
    def incidents(self) -> tuple[str, ...]:
        """The one-line messages of workers lost so far."""
        with self._lock:
            return tuple(self._incidents)

    def schedule(self) -> Schedule | None:
        """The condensed schedule, or None when the code made no ``"aigc"`` call."""
        with self._lock:
            if not self._started:
                return None
            calls = [(start, self._finished.get(cid)) for cid, start in self._started.items()]
            incidents = tuple(self._incidents)
            batches = dict(self._batches)

        def size(pair: tuple[events.RunStarted, events.RunFinished | None]) -> int:
            start, end = pair
            return end.n_done if end is not None else (start.n_tasks or 0)

        main, _ = max(calls, key=size)
        n_batches, low, high = batches.get(main.call_id, (0, 0, 0))
        per_worker: dict[str, int] = {}
        for _, end in calls:
            for worker, count in (end.per_worker if end else {}).items():
                per_worker[worker] = per_worker.get(worker, 0) + count
        return Schedule(
            arm=main.arm,
            n_workers=main.n_workers,
            n_tasks=sum(size(pair) for pair in calls),
            n_calls=len(calls),
            reason=main.reason,
            facts=dict(getattr(main.reason, "facts", None) or {}),
            per_worker=per_worker,
            elapsed=sum(end.elapsed for _, end in calls if end is not None),
            incidents=incidents,
            n_batches=n_batches,
            batch_range=(low, high),
        )
