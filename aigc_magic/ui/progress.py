"""Live progress of every ``Parallel(backend="aigc")`` call: counters, a ticker, a view.

::

    grid events ──► ProgressHub ──► RunProgress      counters under a lock: all the
    (joblib's       (subscriber)    (one per call)    callback thread does per batch
     callback                          ▲ snapshot()
     thread)                        Ticker thread ──► view.render(snapshot)   at most 10/s
                    RunStarted / RunFinished arrive on the caller's thread: the view is
                    created and shown there, and the final state is drawn there.

What a subscriber adds to each batch is measured by ``benchmarks/bench_backend.py``
("progress events"). The view is an ipywidgets panel in notebooks (:mod:`.progresswidget`,
imported on the first run, so ``%load_ext`` never imports ipywidgets) and a text bar on
stderr everywhere else (:mod:`.textprogress`). :func:`install` is what ``%load_ext
aigc_magic`` calls. Nothing here imports anything heavy.
"""

from __future__ import annotations

import contextvars
import sys
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..grid import events
from ..grid.events import BatchDone, Event, RunFinished, RunStarted, WorkerLost
from .snapshot import Snapshot, View, estimate_left

TICK = 0.1  # seconds between renders: about ten updates a second
ACTIVE = 1.0  # a worker that finished a batch this recently counts as busy

__all__ = [
    "ACTIVE",
    "TICK",
    "ProgressHub",
    "RunProgress",
    "Ticker",
    "ViewFactory",
    "default_view",
    "in_notebook",
    "install",
    "uninstall",
]


class RunProgress:
    """Counters of one call, fed by grid events from any thread.

    ``batch_done`` is what joblib's callback thread pays for progress; it only adds under a
    lock. Views read consistent :class:`Snapshot` objects.
    """

    def __init__(self, started: RunStarted, clock: Callable[[], float] = time.perf_counter) -> None:
        self._lock = threading.Lock()
        self._clock = clock
        self.started = started
        self._t0 = clock()
        self._n_done = 0
        self._n_tasks = started.n_tasks
        self._per_worker: dict[str, int] = {}  # name -> tasks finished
        self._seen: dict[str, tuple[int, float]] = {}  # name -> (tasks, when they changed)
        self._incidents: list[str] = []
        self._end: RunFinished | None = None
        self._stopping = False
        self.version = 0  # bumped on every change, so an idle ticker can skip renders

    def batch_done(self, event: BatchDone) -> None:
        """Count a finished batch (called on joblib's callback thread: keep it minimal)."""
        with self._lock:
            self._n_done = event.n_done
            if event.n_tasks is not None:
                self._n_tasks = event.n_tasks
            per_worker = self._per_worker
            per_worker[event.worker] = per_worker.get(event.worker, 0) + event.batch_size
            self.version += 1

    def worker_lost(self, event: WorkerLost) -> None:
        """Remember the one-line message of a lost worker."""
        with self._lock:
            self._incidents.append(event.message)
            self.version += 1

    def stopping(self) -> bool:
        """Mark the call as being stopped; False if it already ended or was stopping."""
        with self._lock:
            if self._end is not None or self._stopping:
                return False
            self._stopping = True
            self.version += 1
            return True

    def finish(self, event: RunFinished) -> None:
        """Take the final counts from the call's end."""
        with self._lock:
            self._end = event
            self._n_done = event.n_done
            if event.n_tasks is not None:
                self._n_tasks = event.n_tasks
            self._per_worker.update(event.per_worker)
            self.version += 1

    @property
    def running(self) -> bool:
        """True until the call's end arrived."""
        with self._lock:
            return self._end is None

    def snapshot(self, call_number: int = 1) -> Snapshot:
        """The current state, consistent across fields."""
        now = self._clock()
        with self._lock:
            end = self._end
            n_done, n_tasks = self._n_done, self._n_tasks
            elapsed = end.elapsed if end is not None else now - self._t0
            incidents = tuple(self._incidents)
            stopping = self._stopping
            workers = []
            for name, count in self._per_worker.items():  # busy: its count grew in the
                before, since = self._seen.get(name, (-1, now))  # last ACTIVE seconds, as
                if count != before:  # the snapshots saw it (the callback thread is spared)
                    self._seen[name] = (count, now)
                    since = now
                workers.append((name, count, end is None and now - since <= ACTIVE))
        if end is None:
            state = "stopping" if stopping else "running"
        elif end.ok:
            state = "done"
        else:
            state = "stopped" if stopping or _interrupted() else "failed"
        rate = n_done / elapsed if elapsed > 0 else 0.0
        start = self.started
        eta = None
        if end is None:
            eta = estimate_left(start.decision, n_done, n_tasks, elapsed, start.n_workers)
        return Snapshot(
            call_id=start.call_id,
            arm=start.arm,
            n_workers=start.n_workers,
            decision=start.decision,
            n_done=n_done,
            n_tasks=n_tasks,
            elapsed=elapsed,
            rate=rate,
            eta=eta,
            workers=tuple(workers),
            state=state,
            incidents=incidents,
            call_number=call_number,
            expected=elapsed + eta if eta is not None else (elapsed if end else None),
        )


def _interrupted() -> bool:
    """True while a KeyboardInterrupt is being handled on this thread (the call's end)."""
    exc = sys.exc_info()[1]
    return isinstance(exc, KeyboardInterrupt)


class Ticker:
    """A daemon thread that renders a run's snapshot every :data:`TICK` seconds.

    It runs in a copy of the starting thread's context, so a kernel attributes its widget
    messages to the cell that started the call.
    """

    def __init__(
        self, run: RunProgress, view: View, lock: threading.Lock, call_number: int = 1
    ) -> None:
        self._run, self._view, self._lock = run, view, lock
        self._call_number = call_number
        self._stop = threading.Event()
        context = contextvars.copy_context()
        self._thread = threading.Thread(
            target=context.run,
            args=(self._loop,),
            name=f"aigc-progress-{run.started.call_id}",
            daemon=True,
        )
        self._thread.start()

    def _loop(self) -> None:
        drawn_version, drawn_second = -1, -1
        while not self._stop.wait(TICK):
            version = self._run.version
            snap = self._run.snapshot(self._call_number)
            second = int(snap.elapsed)
            if version == drawn_version and second == drawn_second:
                continue  # nothing new: elapsed and ETA move once a second
            with self._lock:
                if self._stop.is_set():
                    return
                try:
                    self._view.render(snap)
                except Exception as exc:  # a broken view must not end the run
                    print(f"aigc-magic: progress view failed: {exc!r}", file=sys.stderr)
                    return
            drawn_version, drawn_second = version, second

    def stop(self) -> None:
        """Stop rendering; returns once no render is in progress."""
        self._stop.set()
        with self._lock:
            pass
        if threading.current_thread() is not self._thread:
            self._thread.join(timeout=1.0)


@dataclass
class _Live:
    run: RunProgress
    view: View
    ticker: Ticker
    lock: threading.Lock
    call_number: int


ViewFactory = Callable[[RunStarted, str, "ProgressHub"], "View | None"]


class ProgressHub:
    """The grid-event subscriber that shows progress for every call in one shell.

    Parameters
    ----------
    shell : InteractiveShell or None
        The shell whose ``AskMagics.progress`` switch is honoured and whose kind (kernel or
        terminal) picks the view; None (scripts, ``aigc-magic ask``) shows a text bar.
    view_factory : callable, optional
        ``factory(started, language, hub) -> view or None``; defaults to a widget panel in
        notebooks and a text bar on stderr elsewhere.
    """

    def __init__(self, shell: Any = None, view_factory: ViewFactory | None = None) -> None:
        self._shell = None if shell is None else weakref.ref(shell)  # never keep it alive
        self._factory = view_factory or default_view
        self._live: dict[int, _Live] = {}
        self._lock = threading.Lock()

    @property
    def shell(self) -> Any:
        """The shell this hub serves (None for scripts, or once that shell is gone)."""
        return None if self._shell is None else self._shell()

    # The subscriber itself: BatchDone first, it is the hot path.
    def __call__(self, event: Event) -> None:
        if type(event) is BatchDone:
            live = self._live.get(event.call_id)
            if live is not None:
                live.run.batch_done(event)
        elif isinstance(event, RunStarted):
            self._start(event)
        elif isinstance(event, RunFinished):
            self._finish(event)
        elif isinstance(event, WorkerLost):
            live = self._live.get(event.call_id)
            if live is not None:
                live.run.worker_lost(event)

    def enabled(self) -> tuple[bool, str]:
        """Whether to show this call, and the language to show it in.

        Calls made by an ask's code are always shown, in the prose's language; other calls
        only while ``AskMagics.progress`` is True (the default).
        """
        plan = _asking_plan()
        if plan is not None:
            return True, getattr(plan, "language", "en")
        magics = None
        manager = getattr(self.shell, "magics_manager", None)
        if manager is not None:
            magics = manager.registry.get("AskMagics")
        return bool(getattr(magics, "progress", True)), "en"

    def stop(self, call_id: int) -> bool:
        """Stop a running call as the kernel's interrupt would: KeyboardInterrupt in the
        thread that runs it (the main thread). Returns False if the call already ended."""
        live = self._live.get(call_id)
        if live is None or not live.run.stopping():
            return False
        import _thread

        _thread.interrupt_main()  # joblib aborts: abort_everything, then stop_call
        return True

    def _start(self, event: RunStarted) -> None:
        if self._shell is not None and not _is_current(self._shell()):
            return  # its shell was closed or replaced; the next install() drops the hub
        show, language = self.enabled()
        if not show:
            return
        view = self._factory(event, language, self)
        if view is None:
            return
        run = RunProgress(event)
        lock = threading.Lock()
        number = getattr(view, "call_number", 1)
        ticker = Ticker(run, view, lock, number)
        with self._lock:
            self._live[event.call_id] = _Live(run, view, ticker, lock, number)

    def _finish(self, event: RunFinished) -> None:
        with self._lock:
            live = self._live.pop(event.call_id, None)
        if live is None:
            return
        live.ticker.stop()
        live.run.finish(event)
        with live.lock:
            live.view.finish(live.run.snapshot(live.call_number))


def _is_current(shell: Any) -> bool:
    """True when ``shell`` is the process's running IPython shell."""
    if shell is None:
        return False
    from IPython import get_ipython

    return get_ipython() is shell


def _asking_plan() -> Any:
    """The plan an ask is running on this thread, or None."""
    runner = sys.modules.get("aigc_magic.runner")
    return None if runner is None else runner.RUNNING_PLAN.get()


def in_notebook(shell: Any) -> bool:
    """True when ``shell`` talks to a Jupyter front end (ipykernel), not a terminal."""
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


def default_view(started: RunStarted, language: str, hub: ProgressHub) -> View | None:
    """A widget panel in notebooks (when ipywidgets imports), a stderr bar elsewhere."""
    if in_notebook(hub.shell):
        try:
            from .progresswidget import widget_view
        except ImportError:  # ipywidgets missing: the text bar still reports
            pass
        else:
            return widget_view(started, language, hub)
    from .textprogress import TextProgressView

    return TextProgressView(started, language)


# -- installation ----------------------------------------------------------------------------

_installed: list[tuple[ProgressHub, Callable[[], None]]] = []


def install(shell: Any = None) -> ProgressHub:
    """Show live progress for every ``Parallel(backend="aigc")`` call (idempotent per shell).

    ``%load_ext aigc_magic`` calls it with the shell; scripts and the command line may call
    it with None for a text bar on stderr. Returns the hub; :func:`uninstall` removes it.
    Hubs of shells that no longer exist are dropped here.
    """
    for hub, unsubscribe in list(_installed):
        if hub._shell is not None and not _is_current(hub.shell):
            unsubscribe()
            _installed.remove((hub, unsubscribe))
        elif hub.shell is shell:
            return hub
    hub = ProgressHub(shell)
    _installed.append((hub, events.subscribe(hub)))
    return hub


def uninstall(shell: Any = None) -> None:
    """Stop showing progress for ``shell`` (the inverse of :func:`install`)."""
    for hub, unsubscribe in list(_installed):
        if hub.shell is shell:
            unsubscribe()
            _installed.remove((hub, unsubscribe))
