"""Persistence: round trips, bad files warn once and start fresh, concurrent writers merge."""

from __future__ import annotations

import json
import multiprocessing
import warnings
from pathlib import Path

import pytest

from aigc_magic.grid import state
from aigc_magic.grid.arms import Context
from aigc_magic.grid.scheduler import BanditPolicy


@pytest.fixture
def path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("AIGC_MAGIC_STATE_DIR", str(tmp_path))  # a fresh file, warned afresh
    return tmp_path / "scheduler-state.json"


def teach(policy: BanditPolicy, signature: str, runs: int = 1) -> None:
    context = Context(
        n_jobs=-1,
        cpu_count=2,
        n_tasks=100,
        item_seconds=0.01,
        gil_free=0.0,
        signature=signature,
        where="m-test",
    )
    for _ in range(runs):
        arm = policy.choose(context)
        policy.update(arm, context, 100 / 0.6)


def test_round_trip(path: Path) -> None:
    a = BanditPolicy()
    teach(a, "f", 3)
    assert state.save(a)
    data = json.loads(path.read_text())
    assert data["format"] == state.FORMAT and data["version"] == state.VERSION
    b = BanditPolicy()
    state.load(b)
    assert b.known("m-test", "f")["runs"] == 3
    assert not list(path.parent.glob(".scheduler-state.*.tmp"))


@pytest.mark.parametrize(
    ("body", "what"),
    [
        ("{not json", "not valid JSON"),
        ('{"hello": "world"}', "not written by aigc-magic"),
        (json.dumps({"format": state.FORMAT, "version": 0, "profiles": {}}), "old version"),
        (json.dumps({"format": state.FORMAT, "version": 1, "profiles": []}), "malformed"),
    ],
)
def test_bad_files_warn_once_and_start_fresh(path: Path, body: str, what: str) -> None:
    path.write_text(body)
    policy = BanditPolicy()
    with pytest.warns(UserWarning, match=what):
        state.load(policy)
    assert policy.profiles == {}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        state.load(policy)  # the second time: silent
        teach(policy, "f")
        assert state.save(policy)  # replaced by a good file
    assert json.loads(path.read_text())["profiles"]["m-test"]["workloads"]["f"]["runs"] == 1


def test_newer_file_is_left_alone(path: Path) -> None:
    body = json.dumps({"format": state.FORMAT, "version": state.VERSION + 1, "profiles": {}})
    path.write_text(body)
    policy = BanditPolicy()
    teach(policy, "f")
    with pytest.warns(UserWarning, match="newer"):
        assert not state.save(policy)
    assert path.read_text() == body


def _writer(folder: str, index: int, runs: int) -> None:
    import os

    os.environ["AIGC_MAGIC_STATE_DIR"] = folder
    policy = BanditPolicy(seed=index)
    for i in range(runs):
        teach(policy, f"w{index}-{i}")
        teach(policy, "shared")
        state.save(policy)


@pytest.mark.slow
def test_concurrent_kernels_merge_and_never_corrupt(path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(path.parent), i, 10)) for i in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    work = json.loads(path.read_text())["profiles"]["m-test"]["workloads"]
    assert {f"w{i}-{j}" for i in range(4) for j in range(10)} <= set(work)
    assert work["shared"]["runs"] == 40  # nobody's update was lost


def test_reset_forgets(path: Path) -> None:
    policy = BanditPolicy()
    teach(policy, "f")
    state.save(policy)
    state.reset(policy)
    assert not path.exists() and policy.profiles == {}
