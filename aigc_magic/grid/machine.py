"""This machine, as the scheduler keys and sizes its work: its fingerprint (what learned
state is filed under), its cores and load (read at most once a second: each read costs a
tiny call more than its work) and its CPU model (for benchmark reports)."""

from __future__ import annotations

import functools
import hashlib
import os
import platform
import sys
import time
from collections.abc import Callable
from functools import lru_cache
from typing import Any, TypeVar

__all__ = ["cpu_model", "load_average", "machine_cores", "machine_fingerprint"]

_T = TypeVar("_T")


def _read_once_a_second(read: Callable[[], _T]) -> Callable[[], _T]:
    """``read()``, called again only when its last value is more than a second old."""
    last: list[Any] = [-1.0, None]  # (when, value)

    @functools.wraps(read)
    def fresh() -> _T:
        now = time.monotonic()
        if now - last[0] > 1.0:
            last[:] = [now, read()]
        value: _T = last[1]
        return value

    return fresh


@_read_once_a_second
def machine_cores() -> int:
    """joblib's ``cpu_count()`` (cgroup quotas and affinity included), read at most once a
    second: it reads files each time, which would cost a tiny call more than its work."""
    from joblib import cpu_count

    cores: int = cpu_count()
    return cores


@_read_once_a_second
def load_average() -> float:
    """The 1-minute load average (0 where the platform has none), read at most once a
    second (the kernel updates it every five)."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return 0.0


@lru_cache(maxsize=1)
def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def cpu_model() -> str:
    """The CPU's model name, e.g. ``"AMD EPYC 7B13"``."""
    return _cpu_model()


@lru_cache(maxsize=1)
def machine_fingerprint() -> str:
    """A short stable id of this machine as a place to run work.

    It hashes the host name, core count, CPU model, OS and Python version: what learned
    timings depend on. Another machine, or this one after a CPU or Python change, starts
    fresh.
    """
    from joblib import cpu_count

    parts = [
        platform.node(),
        str(cpu_count()),
        _cpu_model(),
        platform.system(),
        platform.machine(),
        f"py{sys.version_info[0]}.{sys.version_info[1]}",
    ]
    return "m-" + hashlib.blake2b("|".join(parts).encode(), digest_size=6).hexdigest()
