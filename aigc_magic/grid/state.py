"""What the scheduler has learned, kept across kernel restarts in one versioned JSON file.

The file is ``scheduler-state.json`` under ``$AIGC_MAGIC_STATE_DIR`` when that is set, else
under ``<jupyter data dir>/aigc-magic``. It holds one profile per machine or cluster
fingerprint (:func:`~.features.machine_fingerprint`), so a home directory shared by several
machines keeps each one's timings apart::

    {"format": "aigc-magic scheduler state", "version": 1,
     "profiles": {"m-3f2a...": {"workloads": {...}, "regression": {...}}}}

A corrupt, foreign or older file gives one warning and a fresh start (it is replaced at the
next save); a newer one gives one warning and is left alone. Writers take an exclusive
``fcntl`` lock on ``scheduler-state.json.lock``, read what is there, replay their own new
observations on it (:meth:`~.scheduler.BanditPolicy.rebase`), and replace the file
atomically (temporary file, ``fsync``, ``os.replace``): concurrent kernels never corrupt it
and never lose each other's updates. Saving runs on a background thread, off the call's
critical path, and once more at exit.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import sys
import tempfile
import threading
import warnings
from collections.abc import Iterator, Sized
from pathlib import Path
from typing import Any, Protocol, TypeGuard, runtime_checkable

__all__ = [
    "FORMAT",
    "MAX_PROFILES",
    "MAX_WORKLOADS",
    "VERSION",
    "Autosaver",
    "Learner",
    "autosaver",
    "is_learner",
    "load",
    "read",
    "reset",
    "save",
    "state_path",
]

FORMAT = "aigc-magic scheduler state"
VERSION = 1
#: Workloads kept per profile (the least recently run are dropped), and profiles kept.
MAX_WORKLOADS = 200
MAX_PROFILES = 8

_warned: set[tuple[str, str]] = set()


@runtime_checkable
class Learner(Protocol):
    """What is saved and loaded here: a policy's profiles, and its unsaved observations."""

    @property
    def pending(self) -> Sized:
        """Observations made since the last :meth:`rebase`."""

    def rebase(self, data: dict[str, Any]) -> None:
        """Adopt ``data`` (what is saved now) and replay the pending observations on it."""

    def to_json(self) -> dict[str, Any]:
        """The profiles, as they are written to the file."""

    def reset(self) -> None:
        """Forget everything learned."""


_learner_types: dict[type, bool] = {}


def is_learner(policy: object) -> TypeGuard[Learner]:
    """``isinstance(policy, Learner)``, remembered per type: a runtime-checkable protocol
    checks every member on each call (tens of µs, twice a ``Parallel`` call)."""
    kind = type(policy)
    known = _learner_types.get(kind)
    if known is None:
        known = _learner_types[kind] = isinstance(policy, Learner)
    return known


def state_path() -> Path:
    """Where the state lives: ``$AIGC_MAGIC_STATE_DIR`` or the Jupyter data directory."""
    folder = os.environ.get("AIGC_MAGIC_STATE_DIR")
    if not folder:
        folder = os.path.join(_jupyter_data_dir(), "aigc-magic")
    return Path(folder) / "scheduler-state.json"


def _jupyter_data_dir() -> str:
    """Jupyter's data directory, from jupyter_core when installed (every kernel has it).

    A plain script needs no Jupyter: then Jupyter's default rule is followed, so that a
    script and a notebook on one machine share what was learned.
    """
    try:
        from jupyter_core.paths import jupyter_data_dir
    except ImportError:
        pass
    else:
        return str(jupyter_data_dir())
    if os.environ.get("JUPYTER_DATA_DIR"):
        return os.environ["JUPYTER_DATA_DIR"]
    home = Path.home()
    if sys.platform == "darwin":
        return str(home / "Library" / "Jupyter")
    if os.name == "nt":
        return os.path.join(os.environ.get("APPDATA") or str(home), "jupyter")
    xdg = os.environ.get("XDG_DATA_HOME") or str(home / ".local" / "share")
    return os.path.join(xdg, "jupyter")


def _warn_once(path: Path, what: str, message: str) -> None:
    if (str(path), what) in _warned:
        return
    _warned.add((str(path), what))
    warnings.warn(
        f"aigc-magic: {message} ({path}). The scheduler starts fresh; "
        "`%ask scheduler --reset` clears the file.",
        UserWarning,
        stacklevel=3,
    )


def read(path: Path | None = None) -> tuple[dict[str, Any], bool]:
    """``(profiles, writable)`` from the state file; empty profiles when there is none.

    ``writable`` is False only for a file written by a newer aigc-magic, which this one
    must not overwrite.
    """
    path = path or state_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}, True
    except OSError as exc:
        _warn_once(path, "unreadable", f"cannot read the scheduler state: {exc}")
        return {}, True
    try:
        data = json.loads(text)
    except ValueError:
        _warn_once(path, "corrupt", "the scheduler state file is not valid JSON")
        return {}, True
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        _warn_once(path, "foreign", "the scheduler state file was not written by aigc-magic")
        return {}, True
    version = data.get("version")
    if not isinstance(version, int) or version < VERSION:
        _warn_once(path, "old", f"the scheduler state file has old version {version!r}")
        return {}, True
    if version > VERSION:
        _warn_once(
            path,
            "new",
            f"the scheduler state file has version {version}, newer "
            f"than this aigc-magic's {VERSION}; it is left as it is",
        )
        return {}, False
    profiles = data.get("profiles")
    if not isinstance(profiles, dict) or not all(
        isinstance(p, dict) and isinstance(p.get("workloads", {}), dict) for p in profiles.values()
    ):
        _warn_once(path, "corrupt", "the scheduler state file is malformed")
        return {}, True
    return profiles, True


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    import fcntl

    path.parent.mkdir(parents=True, exist_ok=True)
    with open(f"{path}.lock", "a+b") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


def _prune(profiles: dict[str, Any]) -> dict[str, Any]:
    kept = dict(list(profiles.items())[-MAX_PROFILES:])
    for profile in kept.values():
        work = profile.get("workloads", {})
        if len(work) > MAX_WORKLOADS:  # dicts keep insertion order: the oldest come first
            profile["workloads"] = dict(list(work.items())[-MAX_WORKLOADS:])
    return kept


def _write(path: Path, profiles: dict[str, Any]) -> None:
    body = json.dumps(
        {"format": FORMAT, "version": VERSION, "profiles": profiles}, separators=(",", ":")
    )
    fd, tmp = tempfile.mkstemp(prefix=".scheduler-state.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(body)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def load(policy: Learner, path: Path | None = None) -> None:
    """Give ``policy`` what is saved (its own unsaved observations are kept)."""
    profiles, _ = read(path)
    policy.rebase(profiles)


def save(policy: Learner, path: Path | None = None) -> bool:
    """Merge ``policy``'s new observations into the file; return whether it was written."""
    path = path or state_path()
    with _locked(path):
        profiles, writable = read(path)
        policy.rebase(profiles)
        if not writable:
            return False
        _write(path, _prune(policy.to_json()))
    return True


def reset(policy: Learner, path: Path | None = None) -> None:
    """Forget everything: the policy's state and this machine's file."""
    path = path or state_path()
    policy.reset()
    with _locked(path), contextlib.suppress(FileNotFoundError):
        path.unlink()
    _warned.clear()


class Autosaver:
    """Loads the process-wide policy's state once and saves it in the background.

    ``touch(policy)`` before a call loads the file the first time; ``dirty(policy)``
    after an update wakes the saving thread. Errors while saving are reported once as a
    warning; a kernel without a writable data directory still runs.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loaded: set[int] = set()
        self._wake = threading.Event()
        self._todo: dict[int, Learner] = {}
        self._thread: threading.Thread | None = None
        self._path: Path | None = None

    def touch(self, policy: Learner) -> None:
        if id(policy) in self._loaded:
            return
        with self._lock:
            if id(policy) in self._loaded:
                return
            self._loaded.add(id(policy))
        try:
            load(policy)
        except Exception as exc:
            _warn_once(state_path(), "load", f"cannot load the scheduler state: {exc!r}")

    def dirty(self, policy: Learner) -> None:
        with self._lock:
            self._todo[id(policy)] = policy
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="aigc-state", daemon=True)
                self._thread.start()
                atexit.register(self.flush)
        self._wake.set()

    def flush(self) -> None:
        """Save every policy with unsaved observations now."""
        with self._lock:
            todo, self._todo = list(self._todo.values()), {}
        for policy in todo:
            if not policy.pending:
                continue
            try:
                save(policy)
            except Exception as exc:
                _warn_once(state_path(), "save", f"cannot save the scheduler state: {exc!r}")

    def _run(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            self.flush()


autosaver = Autosaver()
