"""Every sentence about a run, in English and Chinese, made from typed facts.

The policy returns a :class:`~.arms.Decision` and the recorder a
:class:`~.record.Schedule`; this module alone turns them into words: the arm's one-line
reason (progress panels, ``last_run()``, the card), the answer's "how the work was split"
sentence, and the cells of ``%ask workers`` / ``%ask scheduler``. It holds the one table of
arm names and the one duration formatter. Sentences are made once and never parsed or
edited afterwards. Nothing here imports anything heavy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from .arms import Arm, Decision, Placement, Rule

if TYPE_CHECKING:
    from .record import Schedule

__all__ = [
    "LONG_CALL_SECONDS",
    "arm_cell",
    "arm_detail",
    "batches_phrase",
    "describe_schedule",
    "format_seconds",
    "kind_plural",
    "long_call",
    "prediction_check",
    "reason",
    "why",
    "workers_phrase",
]


class _Names(NamedTuple):
    """How one arm kind is named."""

    one: str  #: an English worker: "loky process"
    many: str  #: English workers: "loky processes"
    zh: str  #: a Chinese worker noun: "loky进程"
    rival: str  #: the kind as a runner-up in English: "processes"
    rival_zh: str  #: the kind as a runner-up in Chinese: "多进程"
    plural: str  #: English workers without a count: "loky processes"


_KINDS: dict[str, _Names] = {
    "sequential": _Names(
        "in-process worker",
        "in-process workers",
        "进程内顺序执行单元",
        "running in-process",
        "在进程内顺序执行",
        "in-process worker",
    ),
    "threads": _Names("thread", "threads", "线程", "threads", "线程", "threads"),
    "loky": _Names(
        "loky process", "loky processes", "loky进程", "processes", "多进程", "loky processes"
    ),
    "dask": _Names(
        "Dask thread", "Dask threads", "Dask工作节点", "dask", "Dask集群", "Dask workers"
    ),
}


def _kind(kind: str) -> _Names:
    return _KINDS.get(kind, _Names(kind, kind, kind, kind, kind, kind))


def format_seconds(seconds: float, language: str = "en") -> str:
    """A duration as a person reads it, from microseconds to hours.

    >>> [format_seconds(s) for s in (8e-5, 0.004, 0.42, 12, 75, 3725)]
    ['80 µs', '4.0 ms', '0.42 s', '12 s', '1:15', '1:02:05']
    >>> format_seconds(0.004, "zh")
    '4.0毫秒'
    """
    zh = language == "zh"
    us, ms, s = ("微秒", "毫秒", "秒") if zh else (" µs", " ms", " s")
    if seconds < 1e-5:
        return f"{seconds * 1e6:.1f}{us}"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f}{us}"
    if seconds < 0.01:
        return f"{seconds * 1e3:.1f}{ms}"
    if seconds < 0.1:
        return f"{seconds * 1e3:.0f}{ms}"
    if seconds < 1:
        return f"{seconds:.2f}{s}"
    if seconds < 10:
        return f"{seconds:.1f}{s}"
    if seconds < 60:
        return f"{seconds:.0f}{s}"
    minutes, secs = divmod(int(seconds), 60)
    if minutes < 60:
        return f"{minutes}:{secs:02d}"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"


def workers_phrase(kind: str, n_workers: int, language: str = "en") -> str:
    """Workers of a kind in words.

    >>> workers_phrase("loky", 2), workers_phrase("threads", 1), workers_phrase("loky", 2, "zh")
    ('2 loky processes', '1 thread', '2个loky进程')
    """
    names = _kind(kind)
    if language == "zh":
        return f"{n_workers}个{names.zh}"
    return f"{n_workers} {names.one if n_workers == 1 else names.many}"


def kind_plural(kind: str, language: str = "en") -> str:
    """The workers of ``kind`` without a count: ``"loky processes"``, ``"线程"``."""
    names = _kind(kind)
    return names.zh if language == "zh" else names.plural


def batches_phrase(
    arm: Arm, n_batches: int = 0, sizes: tuple[int, int] = (0, 0), language: str = "en"
) -> str:
    """How the call was batched: as planned (``"batches of 250"``, ``"joblib
    auto-batching"``) or, with ``n_batches``, as run (``"8 batches of 1–8"``)."""
    zh = language == "zh"
    if n_batches:
        low, high = sizes
        span = f"{low}" if low == high else f"{low}–{high}"
        if zh:
            return f"分{n_batches}批、每批{span}个任务"
        return f"{n_batches} batch{'es' if n_batches != 1 else ''} of {span}"
    if arm.batch_size is None:
        if arm.kind == "sequential":
            return "一次执行完" if zh else "in one pass"
        return "由joblib自动分批" if zh else "joblib auto-batching"
    return f"每批{arm.batch_size}个任务" if zh else f"batches of {arm.batch_size}"


def arm_cell(arm: Arm) -> str:
    """An arm in a table cell: ``"loky ×2, ~0.1 s batches"``, ``"threads ×2, auto batches"``."""
    if arm.batch_seconds is not None:
        batch = f"~{arm.batch_seconds:g} s batches"
    elif arm.batch_size is not None:
        batch = f"batches of {arm.batch_size}"
    else:
        batch = "auto batches"
    here = f" + loky ×{arm.local_workers}" if arm.local_workers else ""
    return f"{arm.kind} ×{arm.n_workers}{here}, {batch}"


def _blas(arm: Arm, language: str) -> str:
    if arm.inner_threads <= 1 or arm.kind not in ("threads", "loky"):
        return ""
    if language == "zh":
        return f"，每个{arm.inner_threads}个BLAS线程"
    return f", {arm.inner_threads} BLAS threads each"


def arm_detail(
    decision: Decision, n_batches: int = 0, sizes: tuple[int, int] = (0, 0), language: str = "en"
) -> str:
    """The arm in detail: ``"2 loky processes, batches of 250"``; with ``n_batches`` the
    batches as run. An arm a rule chose reads ``"1 in-process worker (joblib
    auto-batching, 2 BLAS threads each)"``."""
    arm, zh = decision.arm, language == "zh"
    workers = workers_phrase(arm.kind, arm.n_workers, language)
    if arm.local_workers:
        here = workers_phrase("loky", arm.local_workers, language)
        workers = f"{workers}和本机{here}" if zh else f"{workers} and {here} here"
    if decision.rule is not None and arm.batch_seconds is None:
        inner = arm.inner_threads
        if zh:
            return f"{workers}（由joblib自动分批，每个{inner}个BLAS线程）"
        return (
            f"{workers} (joblib auto-batching, {inner} BLAS thread{'s' if inner > 1 else ''} each)"
        )
    sep = "，" if zh else ", "
    return f"{workers}{sep}{batches_phrase(arm, n_batches, sizes, language)}{_blas(arm, language)}"


_RULES_EN: dict[Rule, str] = {
    Rule.FORCED: "arm={forced!r} was forced",
    Rule.SHAREDMEM: "require='sharedmem' overrides arm={forced!r}",
    Rule.NESTED_DEEP: "a call nested {level} levels deep runs in its parent's worker",
    Rule.NESTED_ONE_CORE: "a nested call inside a worker that owns one core runs in that worker",
    Rule.NESTED_THREADS: "a nested call gets its parent worker's {cores} cores as threads",
    Rule.TIMEOUT_ONE_JOB: "one job asked for, on a thread so that timeout= can stop the wait",
    Rule.ONE_JOB: "n_jobs=1: no parallelism to gain",
    Rule.ONE_TASK: "one task: no parallelism to gain",
    Rule.SMALL: "{tasks} tasks of ~{item} take ~{total} in-process, less than any parallel "
    "arm needs to start",
    Rule.MEASURED: "all {tasks} tasks (~{item} each) ran in-process while they were measured, "
    "{total} in all",
    Rule.PROVISIONAL: "provisional, until the first batch is measured",
    Rule.FIXED: "the arm was fixed by the policy given to the backend",
}
_RULES_ZH: dict[Rule, str] = {
    Rule.FORCED: "强制指定了arm={forced!r}",
    Rule.SHAREDMEM: "require='sharedmem'覆盖了arm={forced!r}",
    Rule.NESTED_DEEP: "嵌套{level}层的调用在其父工作进程中执行",
    Rule.NESTED_ONE_CORE: "只有一个核心的工作进程里的嵌套调用就在该进程中执行",
    Rule.NESTED_THREADS: "嵌套调用以线程方式使用父工作进程的{cores}个核心",
    Rule.TIMEOUT_ONE_JOB: "只要求一个作业，放在线程上运行以便timeout=能中止等待",
    Rule.ONE_JOB: "n_jobs=1：没有可获得的并行",
    Rule.ONE_TASK: "只有一个任务：没有可获得的并行",
    Rule.SMALL: "{tasks}个约{item}的任务在本进程内共约{total}，比任何并行方案的启动时间还短",
    Rule.MEASURED: "全部{tasks}个任务（每个约{item}）在测量期间就已在本进程内完成，共{total}",
    Rule.PROVISIONAL: "临时选择，等第一批任务测量后再定",
    Rule.FIXED: "方案由传给后端的固定策略指定",
}


def why(decision: Decision, language: str = "en") -> str:
    """Why the arm was chosen: the rule's clause, or what the bandit weighed (per-task
    time, the runner-up's predicted slowdown, the runs learned from)."""
    zh = language == "zh"
    if decision.rule is not None:
        template = (_RULES_ZH if zh else _RULES_EN)[decision.rule]
        probe, predicted = decision.probe, decision.predicted
        item = format_seconds(probe.item_seconds, language) if probe is not None else "?"
        tasks = decision.n_tasks if decision.n_tasks is not None else "?"
        return template.format(
            forced=decision.forced,
            level=decision.nesting_level,
            cores=decision.cores,
            item=item,
            total=format_seconds(predicted, language) if predicted is not None else "?",
            tasks=tasks,
        )
    parts = []
    probe, placement = decision.probe, decision.placement
    local = placement is not None and not placement.remote
    told = local and probe is not None and decision.n_tasks is not None  # "kept local: N…"
    if probe is not None:
        t, g = format_seconds(probe.item_seconds, language), probe.gil_free
        n = decision.n_tasks
        if zh:
            what = (
                ""
                if g is None
                else "的释放GIL的数值计算（numpy/BLAS）"
                if g >= 0.5
                else "的纯Python计算"
            )
            if told:
                parts.append(f"留在本机：{n}个任务，每个约{t}{what}")
            else:
                parts.append(f"每个任务约{t}{what}")
        else:
            what = (
                ""
                if g is None
                else " of pure Python"
                if g < 0.5
                else " of GIL-free work (numpy/BLAS)"
            )
            if told:
                parts.append(f"kept local: {n:,} tasks of ~{t}{what}")
            else:
                parts.append(f"items take ~{t}{what}")
    if placement is not None:
        lead, ratio = _placement(placement, language, decision.arm.local_workers)
        if not told:
            parts.insert(0, lead)
        parts.insert(1 if placement.remote else len(parts), ratio)
    runner = decision.runner_up
    if runner is not None and not (
        placement is not None and (runner.arm.kind == "dask") != placement.remote
    ):  # (a runner-up on the other side is the placement's to tell)
        parts.append(_runner_up(decision, language))
    if decision.learned:
        n = decision.learned
        parts.append(
            f"参考了之前{n}次运行" if zh else f"learned from {n} earlier run{'s' if n != 1 else ''}"
        )
    return ("；" if zh else "; ").join(parts)


def _times(ratio: float) -> str:
    """A ratio as the sentences write it: ``3.2``, ``35``."""
    return f"{ratio:.1f}" if ratio < 10 else f"{ratio:.0f}"


def _placement(placement: Placement, language: str, helpers: int = 0) -> tuple[str, str]:
    """Where the call went when the cluster competed with this machine (``"kept local"``,
    ``"sent to the cluster: …"``) and the predicted cost of the other side.

    >>> _placement(Placement(False, 35.0, 2, 8, 8, 0.04), "en")
    ('kept local', "the cluster's 40 ms round trip predicted 35× slower")
    >>> _placement(Placement(True, 3.2, 2, 32, 32, 0.04), "zh")
    ('发往集群：那里有32个空闲核心，本机2个', '在本机预计慢3.2倍')
    """
    zh = language == "zh"
    ratio = _times(placement.ratio)
    if placement.remote:
        free, here = placement.free_cores, placement.local_cores
        cores = f"{free} free core{'s' if free != 1 else ''}"
        if helpers and zh:
            return f"集群的{free}个空闲核心和本机{helpers}个一起算", f"只用本机预计慢{ratio}倍"
        if helpers:
            return (
                f"spread over the cluster's {cores} and {helpers} here",
                f"here alone predicted {ratio}× slower",
            )
        if zh:
            return f"发往集群：那里有{free}个空闲核心，本机{here}个", f"在本机预计慢{ratio}倍"
        return f"sent to the cluster: {cores} there, {here} here", f"here predicted {ratio}× slower"
    lead = "留在本机" if zh else "kept local"
    if placement.ratio == float("inf"):
        n = placement.cluster_cores
        if zh:
            return lead, f"集群的{n}个核心都在忙别的任务"
        return lead, f"all {n} of the cluster's cores are busy with other work"
    rtt = format_seconds(placement.rtt, language)
    if zh:
        return lead, f"集群往返一次{rtt}，预计慢{ratio}倍"
    return lead, f"the cluster's {rtt} round trip predicted {ratio}× slower"


def _runner_up(decision: Decision, language: str) -> str:
    assert decision.runner_up is not None
    other, ratio, arm = decision.runner_up.arm, decision.runner_up.ratio, decision.arm
    zh = language == "zh"
    if other.kind != arm.kind:
        name = _kind(other.kind).rival_zh if zh else _kind(other.kind).rival
    elif zh:
        name = "其他配置"
    elif other.n_workers != arm.n_workers:
        name = workers_phrase(other.kind, other.n_workers)
    else:  # a twin: name what differs
        name = batches_phrase(other)
    if zh:
        return (
            f"{name}预计慢{ratio:.1f}倍"
            if ratio >= 1
            else f"正在试探此方案（{name}目前预计快{1 / ratio:.1f}倍）"
        )
    return (
        f"{name} predicted {ratio:.1f}× slower"
        if ratio >= 1
        else f"trying it: {name} predicted {1 / ratio:.1f}× faster so far"
    )


def reason(
    decision: Decision, n_batches: int = 0, sizes: tuple[int, int] = (0, 0), language: str = "en"
) -> str:
    """The one-line reason: ``"<arm in detail>: <why>"``.

    >>> from aigc_magic.grid.arms import Probe, RunnerUp
    >>> d = Decision(Arm("loky", 2, 250), probe=Probe(0.004, 0.0),
    ...              runner_up=RunnerUp(Arm("threads", 2), 1.9))
    >>> for part in reason(d).split("; "): print(part)
    2 loky processes, batches of 250: items take ~4.0 ms of pure Python
    threads predicted 1.9× slower
    >>> reason(d, n_batches=20, sizes=(250, 250), language="zh")
    '2个loky进程，分20批、每批250个任务：每个任务约4.0毫秒的纯Python计算；线程预计慢1.9倍'
    """
    detail = arm_detail(decision, n_batches, sizes, language)
    clause = why(decision, language)
    if not clause:
        return detail
    return f"{detail}：{clause}" if language == "zh" else f"{detail}: {clause}"


def describe_schedule(schedule: Schedule, language: str = "en") -> str:
    """One or two sentences on how a task's work was split, and why, in ``language``."""
    zh = language == "zh"
    decision = schedule.decision
    n, calls = schedule.n_tasks, schedule.n_calls
    if zh:
        over = f"（共{calls}次并行调用）" if calls > 1 else ""
        if decision is None:
            return (
                f"工作被分成{n}个任务{over}，由{schedule.n_workers}个"
                f"{kind_plural(schedule.arm, 'zh')}执行。"
            )
        split = batches_phrase(decision.arm, schedule.n_batches, schedule.batch_range, "zh")
        text = (
            f"工作被分成{n}个任务{over}，由"
            f"{workers_phrase(decision.arm.kind, decision.arm.n_workers, 'zh')}执行，"
            f"{split}。"
        )
        clause = why(decision, "zh")
        check = _check(schedule, "zh")
        return text + (f"调度原因：{clause}。" if clause else "") + (f"{check}。" if check else "")
    over = f" over {calls} parallel calls" if calls > 1 else ""
    head = f"The work was split into {n} task{'s' if n != 1 else ''}{over} and run on "
    if decision is None:
        return head + f"{schedule.n_workers} {kind_plural(schedule.arm)}."
    detail = arm_detail(decision, schedule.n_batches, schedule.batch_range)
    clause = why(decision)
    check = _check(schedule, "en")
    return (
        head
        + detail
        + (f", chosen because {clause}." if clause else ".")
        + (f" The scheduler {check}." if check else "")
    )


def _check(schedule: Schedule, language: str) -> str:
    """How close the prediction was, for a task of one parallel call that had one."""
    decision = schedule.decision
    if decision is None or decision.predicted is None or schedule.n_calls != 1:
        return ""
    return prediction_check(decision.predicted, schedule.elapsed, language)


#: A call expected to take longer than this gets a one-line hint on what would shorten it.
LONG_CALL_SECONDS = 60.0


def long_call(seconds: float, decision: Decision | None, language: str = "en") -> str | None:
    """The one line for a call expected to take ``seconds`` in all, when that is over
    :data:`LONG_CALL_SECONDS`: how long, on what, and what would shorten it.

    >>> from aigc_magic.grid.arms import Arm
    >>> long_call(2400, Decision(Arm("loky", 2), cores=2))
    'about 40 min on 2 loky processes; `%ask workers connect …` to spread it over a cluster'
    >>> long_call(30, None) is None
    True
    """
    if seconds <= LONG_CALL_SECONDS:
        return None
    zh = language == "zh"
    minutes = seconds / 60
    if minutes < 90:
        length = f"{minutes:.0f}分钟" if zh else f"{minutes:.0f} min"
    else:
        length = f"{minutes / 60:.1f}小时" if zh else f"{minutes / 60:.1f} h"
    if decision is None:
        where = ""
    else:
        where = workers_phrase(decision.arm.kind, decision.arm.n_workers, language)
    if decision is not None and decision.arm.kind == "dask":
        hint = "向集群添加工作进程可以缩短" if zh else "add workers to the cluster to shorten it"
    else:
        hint = (
            "用 `%ask workers connect …` 分散到集群上"
            if zh
            else "`%ask workers connect …` to spread it over a cluster"
        )
    if zh:
        return f"预计约{length}" + (f"（{where}）" if where else "") + f"；{hint}"
    return f"about {length}" + (f" on {where}" if where else "") + f"; {hint}"


def prediction_check(predicted: float, took: float, language: str = "en") -> str:
    """How close the scheduler's prediction was.

    >>> prediction_check(1.2, 1.5)
    'predicted 1.2 s; it took 1.5 s (1.25× the prediction)'
    >>> prediction_check(1.2, 1.5, "zh")
    '预计1.2秒，实际1.5秒（预测的1.25倍）'
    """
    ratio = took / predicted if predicted > 0 else float("inf")
    p, t = format_seconds(predicted, language), format_seconds(took, language)
    if language == "zh":
        return f"预计{p}，实际{t}（预测的{ratio:.2f}倍）"
    return f"predicted {p}; it took {t} ({ratio:.2f}× the prediction)"
