"""This machine, as the scheduler keys and sizes its work: its fingerprint (what learned
state is filed under), its cores and load (read at most once a second: each read costs a
tiny call more than its work) and its CPU model (for benchmark reports)."""

from __future__ import annotations

import hashlib
import os
import platform
import sys
import time
from functools import lru_cache

__all__ = ["cpu_model", "load_average", "machine_cores", "machine_fingerprint"]

_cores_cache: tuple[float, int] = (-1.0, 0)


def machine_cores() -> int:
    """joblib's ``cpu_count()`` (cgroup quotas and affinity included), read at most once a
    second: it reads files each time, which would cost a tiny call more than its work."""
    global _cores_cache
    now = time.monotonic()
    if now - _cores_cache[0] > 1.0:
        from joblib import cpu_count

        _cores_cache = (now, cpu_count())
    return _cores_cache[1]


_load_cache: tuple[float, float] = (-1.0, 0.0)


def load_average() -> float:
    """The 1-minute load average (0 where the platform has none), read at most once a
    second (the kernel updates it every five)."""
    global _load_cache
    now = time.monotonic()
    if now - _load_cache[0] > 1.0:
        try:
            load = os.getloadavg()[0]
        except (AttributeError, OSError):
            load = 0.0
        _load_cache = (now, load)
    return _load_cache[1]


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
