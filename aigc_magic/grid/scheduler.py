"""The scheduling policy the backend consults: its contract and the process-wide one.

The backend measures, the policy decides: ``choose(context) -> Decision`` before a call
and ``update(decision, context, reward)`` after it (``reward`` is tasks per second). The
default policy is :class:`~.bandit.BanditPolicy` (fixed rules from :mod:`.rules` first,
then Thompson sampling over the cost model of :mod:`.costmodel`); :class:`FixedPolicy`
always answers one arm. How the pieces fit is in ``docs/architecture.md``.
"""

from __future__ import annotations

from typing import Any, Protocol

from .arms import Arm, Context, Decision, Rule
from .bandit import SAFE_FACTOR, BanditPolicy
from .costmodel import Prediction, predict
from .rules import check_arm_kind

__all__ = [
    "SAFE_FACTOR",
    "BanditPolicy",
    "FixedPolicy",
    "Policy",
    "Prediction",
    "check_arm_kind",
    "get_policy",
    "predict",
    "set_policy",
]


class Policy(Protocol):
    """What the ``"aigc"`` backend needs from a scheduling policy."""

    def choose(self, context: Context) -> Decision:
        """The arm for a call described by ``context``, with the facts behind it."""
        ...

    def update(self, decision: Decision, context: Context, reward: float) -> None:
        """Learn from a finished call; ``reward`` is tasks per second."""
        ...

    def needs_features(self, context: Context) -> bool:
        """Whether measuring the workload first would change the choice."""
        ...

    def known(self, where: str, signature: str) -> dict[str, Any] | None:
        """What the policy remembers of a workload, or None."""
        ...

    def may_run_inline(self, context: Context) -> bool:
        """Whether the call may run in the calling thread (in-process is one of its
        arms): then a new workload's first batches run there while they are measured."""
        ...


class FixedPolicy:
    """A policy that always answers ``arm``: batch size and BLAS threads pinned too, which
    ``parallel_config(backend="aigc", arm=...)`` (a kind only) cannot do. It learns
    nothing. The scheduler benchmark times every fixed arm with it.

    Use as ``parallel_config(backend="aigc", policy=FixedPolicy(Arm("loky", 4, 50, 2)))``.
    """

    def __init__(self, arm: Arm) -> None:
        self.arm = arm

    def choose(self, context: Context) -> Decision:
        """Always the fixed arm."""
        return Decision(self.arm, rule=Rule.FIXED)

    def update(self, decision: Decision, context: Context, reward: float) -> None:
        """Learns nothing."""

    def needs_features(self, context: Context) -> bool:
        """Never: the arm is fixed."""
        return False

    def known(self, where: str, signature: str) -> dict[str, Any] | None:
        """Remembers nothing."""
        return None

    def may_run_inline(self, context: Context) -> bool:
        """Only when the fixed arm is in-process."""
        return self.arm.kind == "sequential"


_policy: Policy = BanditPolicy()


def get_policy() -> Policy:
    """The policy the backend consults when none is given to it."""
    return _policy


def set_policy(policy: Policy) -> Policy:
    """Replace the process-wide policy; return the previous one."""
    global _policy
    previous, _policy = _policy, policy
    return previous
