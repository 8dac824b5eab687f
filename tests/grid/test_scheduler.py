"""The policy's rules: what decides a call before any workload feature is known.

The learned part (the bandit) is tested in ``test_scheduler_bandit.py``.
"""

from __future__ import annotations

import pytest

from aigc_magic.errors import GridError
from aigc_magic.grid import explain
from aigc_magic.grid.arms import Arm, Context, Rule
from aigc_magic.grid.scheduler import BanditPolicy, get_policy, set_policy


@pytest.fixture
def policy() -> BanditPolicy:
    return BanditPolicy(seed=0)


@pytest.mark.parametrize(
    ("context", "kind", "workers", "inner"),
    [
        (Context(n_jobs=1, cpu_count=8), "sequential", 1, 8),
        (Context(n_jobs=-1, cpu_count=8), "loky", 8, 1),
        (Context(n_jobs=2, cpu_count=8), "loky", 2, 4),
        (Context(n_jobs=-2, cpu_count=8), "loky", 7, 1),
        (Context(n_jobs=-1, cpu_count=8, n_tasks=3), "loky", 3, 2),
        (Context(n_jobs=-1, cpu_count=8, n_tasks=1), "sequential", 1, 8),
        (Context(n_jobs=4, cpu_count=8, prefer="threads"), "threads", 4, 2),
        (Context(n_jobs=4, cpu_count=8, require="sharedmem", dask_cores=16), "threads", 4, 2),
        (Context(n_jobs=-1, cpu_count=8, dask_workers=4, dask_cores=16), "dask", 16, 1),
        (Context(n_jobs=-1, cpu_count=8, prefer="processes", dask_cores=16), "dask", 16, 1),
        (Context(n_jobs=1, cpu_count=8, has_timeout=True), "threads", 1, 8),
        (Context(n_jobs=-1, cpu_count=1, nesting_level=1), "sequential", 1, 1),
        (Context(n_jobs=-1, cpu_count=4, nesting_level=1), "threads", 4, 1),
        (Context(n_jobs=-1, cpu_count=4, nesting_level=2), "sequential", 1, 4),
        (Context(n_jobs=-1, cpu_count=8, inner_max_num_threads=2), "loky", 8, 2),
        (Context(n_jobs=2, cpu_count=8, forced="threads"), "threads", 2, 4),
        (Context(n_jobs=2, cpu_count=8, forced="loky", require="sharedmem"), "threads", 2, 4),
        (Context(n_jobs=2, cpu_count=8, forced="sequential"), "sequential", 1, 8),
    ],
)
def test_rules(policy: BanditPolicy, context: Context, kind: str, workers: int, inner: int) -> None:
    decision = policy.choose(context)
    arm = decision.arm
    assert (arm.kind, arm.n_workers, arm.inner_threads) == (kind, workers, inner)
    assert arm.batch_size is None
    assert explain.reason(decision).startswith(explain.workers_phrase(kind, workers))
    if kind != "dask":
        assert (
            arm.n_workers * arm.inner_threads <= max(context.cpu_count, arm.n_workers)
            or context.inner_max_num_threads is not None
        )


def test_rule_reason_reads_as_one_sentence(policy: BanditPolicy) -> None:
    decision = policy.choose(Context(n_jobs=1, cpu_count=2))
    assert decision.rule is Rule.ONE_JOB
    assert explain.reason(decision) == (
        "1 in-process worker (joblib auto-batching, 2 BLAS "
        "threads each): n_jobs=1: no parallelism to gain"
    )
    assert explain.reason(decision, language="zh") == (
        "1个进程内顺序执行单元（由joblib自动分批，每个2个BLAS线程）：n_jobs=1：没有可获得的并行"
    )
    assert not policy.needs_features(Context(n_jobs=1, cpu_count=2))


def test_without_features_the_answer_is_provisional(policy: BanditPolicy) -> None:
    context = Context(n_jobs=2, cpu_count=2)
    assert policy.needs_features(context)
    decision = policy.choose(context)
    assert (decision.arm.kind, decision.arm.n_workers) == ("loky", 2)
    assert decision.rule is Rule.PROVISIONAL and "provisional" in explain.reason(decision)


def test_forcing_dask_without_a_cluster_says_how_to_connect(policy: BanditPolicy) -> None:
    with pytest.raises(GridError, match="%ask workers local 2"):
        policy.choose(Context(n_jobs=2, cpu_count=2, forced="dask"))


def test_unknown_forced_arm(policy: BanditPolicy) -> None:
    with pytest.raises(ValueError, match="Did you mean 'loky'"):
        policy.choose(Context(n_jobs=2, cpu_count=2, forced="lokky"))


def test_n_jobs_zero_is_refused(policy: BanditPolicy) -> None:
    with pytest.raises(ValueError, match="n_jobs == 0"):
        policy.choose(Context(n_jobs=0, cpu_count=2))


def test_rule_decided_calls_teach_nothing(policy: BanditPolicy) -> None:
    context = Context(n_jobs=1, cpu_count=2, signature="f", n_tasks=10, item_seconds=0.1)
    decision = policy.choose(context)
    policy.update(decision, context, 123.0)
    assert policy.pending == [] and policy.profiles == {}
    arm = decision.arm
    assert {arm: 1}[Arm(arm.kind, arm.n_workers, arm.batch_size, arm.inner_threads)] == 1
    assert policy.choose(context) == decision  # deterministic


def test_set_policy_swaps_the_process_policy() -> None:
    mine = BanditPolicy(seed=1)
    previous = set_policy(mine)
    try:
        assert get_policy() is mine
    finally:
        set_policy(previous)


@pytest.mark.parametrize(
    ("context", "en", "zh"),
    [
        (
            Context(n_jobs=-1, cpu_count=4, nesting_level=2),
            "a call nested 2 levels deep runs in its parent's worker",
            "嵌套2层的调用",
        ),
        (
            Context(n_jobs=-1, cpu_count=4, nesting_level=1),
            "a nested call gets its parent worker's 4 cores as threads",
            "父工作进程的4个核心",
        ),
        (
            Context(n_jobs=1, cpu_count=2, has_timeout=True),
            "on a thread so that timeout= can stop the wait",
            "timeout=能中止等待",
        ),
        (
            Context(n_jobs=2, cpu_count=8, forced="loky", require="sharedmem"),
            "require='sharedmem' overrides arm='loky'",
            "覆盖了arm='loky'",
        ),
        (
            Context(n_jobs=2, cpu_count=8, forced="threads"),
            "arm='threads' was forced",
            "强制指定了arm='threads'",
        ),
    ],
)
def test_every_rule_is_told_in_english_and_chinese(
    policy: BanditPolicy, context: Context, en: str, zh: str
) -> None:
    decision = policy.choose(context)
    assert en in explain.reason(decision)
    assert zh in explain.reason(decision, language="zh")
