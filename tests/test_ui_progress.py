"""Progress without a notebook: the counters, the hub, the text bar, and what they cost."""

from __future__ import annotations

import io
import re
import threading
import time
from typing import Any

import pytest

from aigc_magic.grid.arms import Arm, Decision, Probe, Rule
from aigc_magic.grid.events import BatchDone, RunFinished, RunStarted, WorkerLost
from aigc_magic.grid.explain import format_seconds
from aigc_magic.ui.progress import ProgressHub, RunProgress
from aigc_magic.ui.snapshot import Snapshot, format_rate
from aigc_magic.ui.textprogress import TextProgressView, bar, progress_line


def _started(call_id: int = 1, n_tasks: int | None = 100) -> RunStarted:
    return RunStarted(
        call_id=call_id,
        arm="threads",
        n_workers=2,
        batch_size=1,
        n_tasks=n_tasks,
        decision=Decision(Arm("threads", 2), rule=Rule.FIXED),
    )


def _done(
    n_done: int, worker: str = "aigc_0", call_id: int = 1, n_tasks: int | None = 100
) -> BatchDone:
    return BatchDone(
        call_id=call_id, n_done=n_done, n_tasks=n_tasks, batch_size=1, worker=worker, duration=0.001
    )


def _finished(n_done: int = 100, ok: bool = True, call_id: int = 1) -> RunFinished:
    return RunFinished(
        call_id=call_id,
        arm="threads",
        n_done=n_done,
        n_tasks=100,
        elapsed=2.0,
        ok=ok,
        per_worker={"aigc_0": 60, "aigc_1": 40},
        n_workers=2,
    )


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_counters_rate_eta_and_workers() -> None:
    clock = Clock()
    run = RunProgress(_started(), clock=clock)
    for i in range(1, 26):
        run.batch_done(_done(i, worker=f"aigc_{i % 2}"))
    clock.now += 0.5
    snap = run.snapshot()
    assert (snap.n_done, snap.n_tasks, snap.state) == (25, 100, "running")
    assert snap.fraction == 0.25
    assert snap.rate == pytest.approx(50.0) and snap.eta == pytest.approx(1.5)
    assert dict((name, count) for name, count, _ in snap.workers) == {"aigc_1": 13, "aigc_0": 12}
    assert all(busy for _, _, busy in snap.workers)
    clock.now += 5  # nobody finished anything for a while: idle workers
    assert not any(busy for _, _, busy in run.snapshot().workers)

    run.finish(_finished())
    final = run.snapshot()
    assert (final.n_done, final.state, final.eta, final.elapsed) == (100, "done", None, 2.0)
    assert dict((n, c) for n, c, _ in final.workers) == {"aigc_0": 60, "aigc_1": 40}


def test_unknown_total_is_learned_from_later_events() -> None:
    run = RunProgress(_started(n_tasks=None))
    run.batch_done(_done(3, n_tasks=None))
    assert run.snapshot().fraction is None and run.snapshot().eta is None
    run.batch_done(_done(4, n_tasks=9))
    assert run.snapshot().n_tasks == 9


def test_stopped_failed_and_stopping_states() -> None:
    run = RunProgress(_started())
    assert run.stopping() is True and run.stopping() is False  # one interrupt per call
    assert run.snapshot().state == "stopping"
    run.finish(_finished(n_done=10, ok=False))
    assert run.snapshot().state == "stopped"
    assert run.stopping() is False  # too late: it ended

    failed = RunProgress(_started())
    failed.finish(_finished(n_done=10, ok=False))
    assert failed.snapshot().state == "failed"


def test_counters_are_exact_under_concurrent_writers() -> None:
    run = RunProgress(_started(n_tasks=40_000))
    barrier = threading.Barrier(4)

    def feed(worker: str) -> None:
        barrier.wait()
        for i in range(10_000):
            run.batch_done(_done(i, worker=worker, n_tasks=40_000))
            if i % 1000 == 0:
                run.snapshot()

    threads = [threading.Thread(target=feed, args=(f"w{k}",)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(count for _, count, _ in run.snapshot().workers) == 40_000


class RecordingView:
    """A view that remembers what it was asked to draw, from which thread."""

    def __init__(self) -> None:
        self.renders: list[Snapshot] = []
        self.final: Snapshot | None = None
        self.threads: set[str] = set()

    def render(self, snapshot: Snapshot) -> None:
        self.renders.append(snapshot)
        self.threads.add(threading.current_thread().name)

    def finish(self, snapshot: Snapshot) -> None:
        self.final = snapshot


def test_hub_throttles_renders_to_about_ten_a_second() -> None:
    view = RecordingView()
    hub = ProgressHub(None, view_factory=lambda started, language, hub: view)
    hub(_started())
    started = time.perf_counter()
    i = 0
    while time.perf_counter() - started < 0.55:  # a flood of batches for half a second
        i += 1
        hub(_done(min(i, 99)))
    hub(
        WorkerLost(
            call_id=1,
            worker="aigc_1",
            n_lost_batches=1,
            retried=True,
            message="aigc: a worker was lost; 1 batch resubmitted.",
        )
    )
    hub(_finished())
    assert i > 1000
    assert 2 <= len(view.renders) <= 7, len(view.renders)  # ~10/s, not one per batch
    assert view.threads == {"aigc-progress-1"}
    assert view.final is not None and view.final.n_done == 100
    assert view.final.incidents == ("aigc: a worker was lost; 1 batch resubmitted.",)
    assert hub._live == {}


def test_hub_ignores_events_of_calls_it_does_not_show() -> None:
    hub = ProgressHub(None, view_factory=lambda started, language, hub: None)
    hub(_started())
    hub(_done(1))
    hub(_finished())
    assert hub._live == {}


def test_progress_switch_hides_plain_calls_but_not_asks(
    ip: Any, scripted: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    call = (
        "from joblib import Parallel, delayed\n"
        "out = Parallel(n_jobs=2, backend='aigc')(delayed(abs)(i) for i in range(20))"
    )
    ip.run_cell(call)
    assert "aigc ▕" in capsys.readouterr().err  # a terminal shell: the text bar
    ip.run_cell("%config AskMagics.progress = False")
    ip.run_cell(call)
    assert "aigc ▕" not in capsys.readouterr().err
    scripted.code = (
        "from joblib import Parallel, delayed\n"
        "result = sum(Parallel(n_jobs=2, backend='aigc')"
        "(delayed(abs)(i) for i in range(20)))\n"
    )
    ip.run_cell("r = %ask 二十以内的数之和")
    err = capsys.readouterr().err
    assert "aigc ▕" in err and "完成" in err  # the ask's own call, in the prose's language


def test_bar_and_line_formatting() -> None:
    assert bar(0.0, 10) == " " * 10
    assert bar(1.0, 10) == "█" * 10
    assert bar(0.55, 10) == "█████▌    "
    assert bar(None, 4) == "····"
    snap = Snapshot(
        call_id=1,
        arm="loky",
        n_workers=2,
        decision=None,
        n_done=52,
        n_tasks=100,
        elapsed=0.42,
        rate=123.8,
        eta=0.39,
        workers=(),
        state="running",
    )
    assert progress_line(snap) == (
        "aigc ▕██████████▍         ▏  52% 52/100 · 124 tasks/s · 0.42 s < 0.39 s · loky×2"
    )
    assert progress_line(snap, "zh").endswith("任务/秒 · 0.42 s < 0.39 s · loky×2")
    assert format_seconds(75) == "1:15" and format_seconds(3725) == "1:02:05"
    assert [format_seconds(s) for s in (8e-6, 8e-5, 4e-3, 0.042, 0.42, 4.2, 42)] == [
        "8.0 µs",
        "80 µs",
        "4.0 ms",
        "42 ms",
        "0.42 s",
        "4.2 s",
        "42 s",
    ]
    assert format_seconds(4e-3, "zh") == "4.0毫秒" and format_seconds(0.42, "zh") == "0.42秒"
    assert format_rate(0.5) == "0.50" and format_rate(12_345) == "12.3k"
    assert format_rate(2.5e6) == "2.5M"


def test_text_view_redraws_in_place_on_a_terminal() -> None:
    stream = io.StringIO()
    view = TextProgressView(_started(), stream=stream, tty=True)
    run = RunProgress(_started())
    run.batch_done(_done(50))
    view.render(run.snapshot())
    run.finish(_finished())
    view.finish(run.snapshot())
    text = stream.getvalue()
    assert text.startswith("\raigc ▕") and text.count("\r") == 2
    assert text.endswith("\n") and text.rstrip().endswith("done")


def test_text_view_logs_quarters_only_in_a_log() -> None:
    stream = io.StringIO()
    view = TextProgressView(_started(), stream=stream, tty=False)
    run = RunProgress(_started())
    for i in range(1, 101):
        run.batch_done(_done(i))
        view.render(run.snapshot())
    run.finish(_finished())
    view.finish(run.snapshot())
    lines = stream.getvalue().splitlines()
    assert [re.search(r"(\d+)%", line).group(0) for line in lines] == ["25%", "50%", "75%", "100%"]
    assert "\r" not in stream.getvalue()


def test_the_hot_path_costs_microseconds() -> None:
    """What joblib's callback thread pays per finished batch for the progress display."""
    hub = ProgressHub(None, view_factory=lambda s, lang, h: RecordingView())
    hub(_started(n_tasks=10**6))
    event = _done(1, n_tasks=10**6)
    n = 20_000
    best = min(_time(hub, event, n) for _ in range(5))
    hub(_finished())
    print(f"ProgressHub per BatchDone: {best * 1e6:.2f} µs")
    assert best < 10e-6


def _time(hub: ProgressHub, event: BatchDone, n: int) -> float:
    started = time.perf_counter()
    for _ in range(n):
        hub(event)
    return (time.perf_counter() - started) / n


def _predicted(seconds: float, item: float, arm: str = "loky") -> RunStarted:
    return RunStarted(
        call_id=1,
        arm=arm,
        n_workers=2,
        batch_size=1,
        n_tasks=8,
        decision=Decision(
            Arm(arm, 2), predicted=seconds, probe=Probe(item, 0.0), cores=2, n_tasks=8
        ),
    )


def test_the_eta_comes_from_the_prediction_before_any_task_finishes() -> None:
    clock = Clock()
    run = RunProgress(_predicted(28.0, 7.0), clock=clock)
    clock.now += 1.0
    snap = run.snapshot()
    assert snap.n_done == 0 and snap.eta == pytest.approx(27.0)  # not None for 7 s
    assert "< 27 s" in progress_line(snap)
    clock.now += 9.0  # the first tasks run longer than the probe said: the ETA stretches
    assert run.snapshot().eta == pytest.approx(28.0 * 10.0 / 7.0 - 10.0)
    run.batch_done(BatchDone(1, 4, 8, 1, "w0", 10.0))  # half done in 10 s: ~10 s left
    assert run.snapshot().eta == pytest.approx(10.0)


def test_a_call_predicted_to_be_long_says_so_once_with_what_would_shorten_it() -> None:
    clock = Clock()
    started = _predicted(2400.0, 600.0)
    run = RunProgress(started, clock=clock)
    stream = io.StringIO()
    view = TextProgressView(started, stream=stream, tty=False)
    for _ in range(3):
        clock.now += 1.0
        view.render(run.snapshot())
    lines = [line for line in stream.getvalue().splitlines() if "about" in line]
    assert lines == [
        "aigc · about 40 min on 2 loky processes; "
        "`%ask workers connect …` to spread it over a cluster"
    ]
    zh = TextProgressView(started, language="zh", stream=io.StringIO(), tty=False)
    zh.render(run.snapshot())
    assert "预计约40分钟（2个loky进程）；用 `%ask workers connect …`" in zh.stream.getvalue()
    short = TextProgressView(_predicted(3.0, 1.0), stream=io.StringIO(), tty=False)
    short.render(RunProgress(_predicted(3.0, 1.0), clock=clock).snapshot())
    assert "about" not in short.stream.getvalue()
