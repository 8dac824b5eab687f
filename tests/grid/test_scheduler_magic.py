"""What the scheduler tells people: ``%ask scheduler``, the reason in the answer (English and
Chinese), and learning that survives a kernel restart."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from IPython.core.error import UsageError

from aigc_magic.grid import events, state
from aigc_magic.grid._magic import scheduler_command
from aigc_magic.grid.arms import Arm, Context, Decision, Probe, RunnerUp
from aigc_magic.grid.features import machine_fingerprint
from aigc_magic.grid.record import Schedule, ScheduleRecorder
from aigc_magic.grid.scheduler import BanditPolicy, set_policy


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> BanditPolicy:
    """A fresh process-wide policy whose state lives in a temporary folder."""
    monkeypatch.setenv("AIGC_MAGIC_STATE_DIR", str(tmp_path))
    policy = BanditPolicy(seed=0)
    previous = set_policy(policy)
    yield policy
    set_policy(previous)


def test_scheduler_view_lists_what_was_learned(fresh: BanditPolicy) -> None:
    assert "Nothing learned yet" in str(scheduler_command(""))
    context = Context(
        n_jobs=-1,
        cpu_count=2,
        n_tasks=200,
        item_seconds=0.01,
        gil_free=0.0,
        signature="__main__.simulate@3:abcd(int)~4^0",
        where=machine_fingerprint(),
    )
    for _ in range(3):
        arm = fresh.choose(context)
        fresh.update(arm, context, 200 / 1.2)
    view = scheduler_command("scheduler")
    text = str(view)
    assert "1 workload" in text and "simulate" in text and "10 ms" in text
    assert view.rows[0][-1] == "3"
    assert "<th>predicted</th>" in view._repr_html_()
    view = scheduler_command("--reset")
    assert "forgot everything" in str(view)
    assert "Nothing learned yet" in str(scheduler_command(""))


def test_unknown_option_is_a_usage_error(fresh: BanditPolicy) -> None:
    with pytest.raises(UsageError, match="--reset"):
        scheduler_command("--rest")


def test_schedule_says_why_in_english_and_chinese() -> None:
    decision = Decision(
        Arm("loky", 2, 250, 1),
        probe=Probe(0.004, 0.0),
        learned=2,
        runner_up=RunnerUp(Arm("threads", 2, 250, 1), 1.9),
        predicted=0.8,
    )
    with ScheduleRecorder() as rec:
        events.publish(
            events.RunStarted(
                call_id=10**6,
                arm="loky",
                n_workers=2,
                batch_size=250,
                n_tasks=5000,
                decision=decision,
            )
        )
        events.publish(
            events.RunFinished(
                call_id=10**6,
                arm="loky",
                n_done=5000,
                n_tasks=5000,
                elapsed=1.0,
                ok=True,
                decision=decision,
            )
        )
    schedule = rec.schedule()
    assert isinstance(schedule, Schedule) and schedule.decision == decision
    en = schedule.describe("en")
    assert en == (
        "The work was split into 5000 tasks and run on 2 loky processes, batches of "
        "250, chosen because items take ~4.0 ms of pure Python; threads predicted "
        "1.9× slower; learned from 2 earlier runs. The scheduler predicted 0.80 s; it "
        "took 1.0 s (1.25× the prediction)."
    )
    zh = schedule.describe("zh")
    assert "由2个loky进程执行，每批250个任务" in zh
    assert "每个任务约4.0毫秒的纯Python计算" in zh and "线程预计慢1.9倍" in zh
    assert "参考了之前2次运行" in zh
    assert "预计0.80秒，实际1.0秒（预测的1.25倍）" in zh


def test_learning_survives_a_restart(tmp_path: Path) -> None:
    """Two fresh interpreters: the second finds the first one's workload remembered."""
    code = textwrap.dedent("""
        from joblib import Parallel, delayed, parallel_config
        import aigc_magic
        from aigc_magic.grid import state
        from aigc_magic.grid.backend import last_decision

        def work(i):
            return sum(range(2000))

        with parallel_config(backend="aigc"):
            Parallel(n_jobs=2)(delayed(work)(i) for i in range(400))
        state.autosaver.flush()
        print(last_decision()["probed"])
    """)
    env = {"AIGC_MAGIC_STATE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    outs = [
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
        )
        for _ in range(2)
    ]
    assert [o.stdout.strip() for o in outs] == ["True", "False"], outs[1].stderr
    assert (tmp_path / "scheduler-state.json").exists()
    assert state.FORMAT in (tmp_path / "scheduler-state.json").read_text()


def test_a_batch_planned_larger_than_the_call_says_what_joblib_made_of_it() -> None:
    """A generator input has no length: the plan says batches of 25, the call had 8 tasks,
    and joblib, finding its input exhausted, split them into batches of one."""
    decision = Decision(Arm("sequential", 1, 25, 2), probe=Probe(8e-5))
    call = 10**6 + 1
    with ScheduleRecorder() as rec:
        events.publish(
            events.RunStarted(
                call_id=call,
                arm="sequential",
                n_workers=1,
                batch_size=25,
                n_tasks=None,
                decision=decision,
            )
        )
        for k in range(8):
            events.publish(
                events.BatchDone(
                    call_id=call,
                    n_done=k + 1,
                    n_tasks=8,
                    batch_size=1,
                    worker="main",
                    duration=8e-5,
                )
            )
        events.publish(
            events.RunFinished(
                call_id=call,
                arm="sequential",
                n_done=8,
                n_tasks=8,
                elapsed=0.01,
                ok=True,
                decision=decision,
            )
        )
    schedule = rec.schedule()
    assert schedule.n_batches == 8 and schedule.batch_range == (1, 1)
    assert schedule.describe("en") == (
        "The work was split into 8 tasks and run on 1 "
        "in-process worker, 8 batches of 1, chosen because "
        "items take ~80 µs."
    )
    assert "分8批、每批1个任务" in schedule.describe("zh")
    assert schedule.reason_as_run == "1 in-process worker, 8 batches of 1: items take ~80 µs"


def test_auto_batching_is_told_as_the_batches_it_made() -> None:
    decision = Decision(Arm("loky", 2, None, 1), probe=Probe(0.01))
    call = 10**6 + 2
    with ScheduleRecorder() as rec:
        events.publish(
            events.RunStarted(
                call_id=call,
                arm="loky",
                n_workers=2,
                batch_size=None,
                n_tasks=40,
                decision=decision,
            )
        )
        for k, size in enumerate((1, 1, 2, 4, 8, 8, 8, 8)):
            events.publish(
                events.BatchDone(
                    call_id=call, n_done=k, n_tasks=40, batch_size=size, worker="w", duration=0.01
                )
            )
        events.publish(
            events.RunFinished(
                call_id=call,
                arm="loky",
                n_done=40,
                n_tasks=40,
                elapsed=0.4,
                ok=True,
                decision=decision,
            )
        )
    assert rec.schedule().reason_as_run == "2 loky processes, 8 batches of 1–8: items take ~10 ms"
