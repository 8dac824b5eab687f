"""A new workload's first call: measured while it runs, never held back by the probe.

The first batches of an unseen workload run in the calling thread while they are measured;
a call whose whole work fits in that measuring has simply run in-process; a first task that
turns out long lets the other workers start before it ends. Plus small, seeded versions of
the two scheduler benchmarks that nobody tuned on (benchmarks/bench_shapes.py,
benchmarks/bench_policy_sim.py).
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from types import ModuleType

import pytest
from joblib import Parallel, delayed, parallel_config

from aigc_magic.grid import explain
from aigc_magic.grid.arms import Rule
from aigc_magic.grid.backend import last_decision, last_run
from aigc_magic.grid.events import BatchDone, RunFinished, RunStarted, subscribe
from aigc_magic.grid.firstbatch import HEAD_START_SECONDS, MEASURE_SECONDS
from aigc_magic.grid.scheduler import BanditPolicy

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def bench(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # (dataclasses look their module up)
    spec.loader.exec_module(module)
    return module


def triple(i: int) -> int:
    return 3 * i


def nap(seconds: float) -> str:
    time.sleep(seconds)
    return threading.current_thread().name


def test_a_small_new_call_runs_whole_in_process_while_measured() -> None:
    policy = BanditPolicy(seed=0)
    seen: list[object] = []
    unsubscribe = subscribe(seen.append)
    try:
        with parallel_config(backend="aigc", policy=policy):
            out = Parallel(n_jobs=-1)(delayed(triple)(i) for i in range(200))  # a generator
    finally:
        unsubscribe()
    assert out == [3 * i for i in range(200)]
    run = last_run()
    assert run is not None and run.ok and run.arm == "sequential"
    assert run.decision is not None and run.decision.rule is Rule.MEASURED
    assert run.per_worker == {"main": 200}
    assert "200 tasks" in explain.reason(run.decision)
    assert "ran in-process while they were measured" in explain.reason(run.decision)
    assert "在测量期间就已在本进程内完成" in explain.reason(run.decision, language="zh")
    # the panel hears a start before the finish, and no batch before the start
    kinds = [type(e) for e in seen if isinstance(e, (RunStarted, BatchDone, RunFinished))]
    assert kinds[0] is RunStarted and kinds[-1] is RunFinished


def test_the_same_small_call_again_is_kept_in_process_by_rule() -> None:
    policy = BanditPolicy(seed=0)
    seen: list[object] = []
    with parallel_config(backend="aigc", policy=policy):
        Parallel(n_jobs=-1)([delayed(triple)(i) for i in range(300)])
        unsubscribe = subscribe(seen.append)  # a panel listens: the grid runs the call
        try:
            out = Parallel(n_jobs=-1)([delayed(triple)(i) for i in range(300)])
        finally:
            unsubscribe()
    assert out == [3 * i for i in range(300)]
    run = last_run()
    assert run is not None and run.decision is not None
    assert run.decision.rule is Rule.SMALL and run.arm == "sequential"
    assert last_decision()["probed"] is False  # remembered: nothing measured again
    assert "less than any parallel arm needs to start" in explain.reason(run.decision)
    assert any(isinstance(e, RunFinished) for e in seen)


def test_a_small_known_call_with_nobody_listening_is_handed_back_to_joblib() -> None:
    """A remembered workload whose whole call is far below any parallel arm's start-up
    runs in joblib's own sequential loop: no pool, no batch futures (bench_shapes)."""
    policy = BanditPolicy(seed=0)
    with parallel_config(backend="aigc", policy=policy):
        Parallel(n_jobs=-1)([delayed(triple)(i) for i in range(40)])
        first = last_run()
        parallel = Parallel(n_jobs=-1)
        out = parallel([delayed(triple)(i) for i in range(40)])
        assert parallel._backend._pool is None  # (joblib's loop ran it: no pool opened)
        facts = last_decision()
        assert facts.get("handed_back") and facts["arm"].kind == "sequential"
        assert last_run() is first
        generated = Parallel(n_jobs=-1)(delayed(triple)(i) for i in range(40))
    assert out == generated == [3 * i for i in range(40)]
    assert not last_decision().get("handed_back")
    assert last_run() is not first  # a generator cannot be read ahead: the grid ran it


def test_a_long_first_task_does_not_hold_the_others_back() -> None:
    # four tasks of 0.4 s on two threads: waiting for the first would take 0.4 + 0.8 s
    policy = BanditPolicy(seed=0)
    started = time.perf_counter()
    with parallel_config(backend="aigc", policy=policy):
        names = Parallel(n_jobs=2, prefer="threads")(delayed(nap)(0.4) for _ in range(4))
    took = time.perf_counter() - started
    decided = last_decision()["context"]
    # decided from a lower bound while the first task was still running ...
    assert HEAD_START_SECONDS <= decided.item_seconds < 0.3
    # ... which ran on a thread of its own while the arm's workers took the others
    assert names[0].startswith("aigc-first-task")
    assert all(n.startswith("aigc") and "first-task" not in n for n in names[1:])
    run = last_run()
    assert run is not None and run.ok and run.n_done == 4
    assert took < 1.1, took  # 0.4 s for the first and its neighbour, 0.4 s for the rest
    # the next call knows the tasks' real length
    with parallel_config(backend="aigc", policy=policy):
        Parallel(n_jobs=2, prefer="threads")(delayed(nap)(0.4) for _ in range(4))
    assert last_decision()["probed"] is False
    assert last_decision()["context"].item_seconds == pytest.approx(0.4, rel=0.5)


def test_a_failing_first_task_fails_the_call_cleanly() -> None:
    def boom(i: int) -> int:
        if i == 0:
            time.sleep(HEAD_START_SECONDS * 2)  # long enough for the head start
            raise ValueError("first task broke")
        return i

    with parallel_config(backend="aigc", policy=BanditPolicy(seed=0)):
        with pytest.raises(ValueError, match="first task broke"):
            Parallel(n_jobs=2, prefer="threads")(delayed(boom)(i) for i in range(6))
        # the backend is usable again at once
        assert Parallel(n_jobs=2)(delayed(triple)(i) for i in range(5)) == [0, 3, 6, 9, 12]


def test_measuring_stops_after_a_couple_of_milliseconds_of_work() -> None:
    with parallel_config(backend="aigc", policy=BanditPolicy(seed=0)):
        Parallel(n_jobs=-1)(delayed(triple)(i) for i in range(300_000))
    measured = last_decision()
    assert 1 < measured["n_measured"] < 300_000
    t = measured["context"].item_seconds
    # about MEASURE_SECONDS of work was measured, in batches sized from the first tasks
    assert measured["n_measured"] * t == pytest.approx(MEASURE_SECONDS, rel=1.5)


def test_random_shapes_are_drawn_within_their_bounds_and_run_right_on_the_grid() -> None:
    shapes_mod = bench("bench_shapes")
    shapes = shapes_mod.draw_shapes(40, seed=3, cap=0.05)
    assert shapes == shapes_mod.draw_shapes(40, seed=3, cap=0.05)  # seeded
    assert shapes != shapes_mod.draw_shapes(40, seed=4, cap=0.05)
    for s in shapes:
        assert 1e-7 <= s.item_seconds <= 1.0 and 0.0 <= s.gil_free <= 1.0
        assert 1 <= s.n_tasks <= 10**6 and s.skew in ("none", "heavy")
        assert s.n_tasks * s.item_seconds <= 0.05 or s.n_tasks == 1
        assert 0 <= s.bytes_in <= 10**7 and 0 <= s.bytes_out <= 10**7
    assert {s.generator for s in shapes} == {True, False}
    assert {s.skew for s in shapes} == {"none", "heavy"}
    costs = shapes_mod.Costs(spin_step=3e-8, hash_byte=5e-10, call=2e-6)
    policy = BanditPolicy(seed=1)
    for s in shapes[:6]:
        load = shapes_mod.Workload(s, costs, seed=3)
        want = [shapes_mod.work(*a) for a in load.args]
        with parallel_config(backend="aigc", policy=policy):
            for _ in range(2):
                got = Parallel(n_jobs=-1)(load.calls())
                assert len(got) == len(want)
                assert all(
                    (g == w).all() if hasattr(w, "all") else g == w
                    for g, w in zip(got, want, strict=True)
                )


def test_skewed_shapes_keep_their_mean_cost() -> None:
    shapes_mod = bench("bench_shapes")
    shape = shapes_mod.Shape(0, 0.001, 2000, 0.0, 0, 0, "heavy", False)
    costs = shapes_mod.task_costs(shape, seed=1)
    assert sum(costs) / len(costs) == pytest.approx(0.001)
    assert max(costs) > 5 * min(costs)  # heavy-tailed


def test_the_policy_rarely_regrets_on_simulated_shapes_nobody_tuned_on() -> None:
    sim = bench("bench_policy_sim").simulate(shapes=60, seed=11, bias_sd=0.4, rounds=6)
    assert sim["median_at_3"] <= 1.05
    assert sim["any_above_1.5_from_3"] <= 0.25


def test_the_card_says_how_close_the_prediction_was() -> None:
    from aigc_magic.grid.record import ScheduleRecorder

    policy = BanditPolicy(seed=0)
    with parallel_config(backend="aigc", policy=policy):
        Parallel(n_jobs=2, prefer="threads")(delayed(nap)(0.01) for _ in range(40))
        with ScheduleRecorder() as recorder:
            Parallel(n_jobs=2, prefer="threads")(delayed(nap)(0.01) for _ in range(40))
    schedule = recorder.schedule()
    assert schedule is not None and schedule.decision is not None
    assert schedule.decision.predicted is not None
    text = schedule.describe()
    ratio = schedule.elapsed / schedule.decision.predicted
    assert f"The scheduler predicted {explain.format_seconds(schedule.decision.predicted)}" in text
    assert f"({ratio:.2f}× the prediction)" in text
    assert f"（预测的{ratio:.2f}倍）" in schedule.describe("zh")


def test_an_in_process_call_leaves_the_garbage_collector_as_it_found_it() -> None:
    import gc

    before = gc.get_threshold()
    seen: list[tuple[int, ...]] = []

    def look(i: int) -> int:
        seen.append(gc.get_threshold())
        return i

    with parallel_config(backend="aigc", arm="sequential"):
        for _ in range(2):
            Parallel(n_jobs=-1)(delayed(look)(i) for i in range(50_000))
    run = last_run()
    assert run is not None and run.arm == "sequential"
    assert max(t[0] for t in seen) >= 2000  # patient while the in-process arm ran
    assert gc.get_threshold() == before


def test_a_failed_call_stops_its_long_first_task_too() -> None:
    state: dict[str, bool] = {}

    def task(i: int) -> int:
        if i == 0:  # long, pure Python: it outlasts the head start
            try:
                end = time.perf_counter() + 5.0
                while time.perf_counter() < end:
                    pass
            except KeyboardInterrupt:
                state["stopped"] = True
                raise
            state["ran to the end"] = True
        elif i == 1:
            time.sleep(0.2)
            raise ValueError("the second task broke")
        return i

    started = time.perf_counter()
    with (
        parallel_config(backend="aigc", policy=BanditPolicy(seed=0)),
        pytest.raises(ValueError, match="second task broke"),
    ):
        Parallel(n_jobs=2, prefer="threads")(delayed(task)(i) for i in range(4))
    deadline = time.perf_counter() + 2.0
    while "stopped" not in state and time.perf_counter() < deadline:
        time.sleep(0.01)
    assert state == {"stopped": True}, state
    assert time.perf_counter() - started < 3.0


def test_a_new_workload_runs_under_the_profiler_as_prun_runs_it() -> None:
    """%prun profiles the kernel's thread with cProfile: the first task's thread used to
    cancel a stop it had never been sent, and that left the profiled thread waiting forever."""
    code = textwrap.dedent("""
        import cProfile
        from joblib import Parallel, delayed, parallel_config
        import aigc_magic

        def double(x):
            return 2 * x

        profile = cProfile.Profile()
        profile.enable()
        with parallel_config(backend="aigc"):
            out = Parallel(n_jobs=-1)(delayed(double)(i) for i in range(10))
        profile.disable()
        print(sum(out))
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "90"


def spin_for(seconds: float) -> float:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass
    return seconds


def test_a_workload_kept_small_after_its_measuring_batches_is_not_measured_again() -> None:
    # 40 tasks of 0.2 ms: measuring stops after ~2 ms, then the small-call rule keeps the
    # rest in-process; that call used to teach nothing, so every later call measured again
    policy = BanditPolicy(seed=0)
    with parallel_config(backend="aigc", policy=policy):
        Parallel(n_jobs=-1)([delayed(spin_for)(0.0002) for _ in range(40)])
        first = last_decision()
        Parallel(n_jobs=-1)([delayed(spin_for)(0.0002) for _ in range(40)])
    assert first["probed"] is True
    assert last_decision()["probed"] is False


def test_a_known_generator_run_here_is_not_cut_into_one_task_batches() -> None:
    # joblib cuts the end of an input it cannot measure into 10 × n_jobs pieces: 35 tasks
    # were 36 batches of one task each, each a future and a callback around 0.1 µs of work
    policy = BanditPolicy(seed=0)
    seen: list[object] = []
    with parallel_config(backend="aigc", policy=policy):
        Parallel(n_jobs=-1)(delayed(triple)(i) for i in range(35))
        unsubscribe = subscribe(seen.append)
        try:
            out = Parallel(n_jobs=-1)(delayed(triple)(i) for i in range(35))
        finally:
            unsubscribe()
    assert out == [3 * i for i in range(35)]
    run = last_run()
    assert run is not None and run.arm == "sequential"
    assert sum(isinstance(e, BatchDone) for e in seen) <= 5
