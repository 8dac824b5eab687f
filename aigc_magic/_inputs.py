"""What :func:`aigc_magic.ask` is given, checked before any planner sees it.

The options (a misspelt one gets a suggestion), the safety mode, the prose (text, not too
long, not binary) and the namespace the code will run in.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

from .errors import PlanningError, SettingsError
from .llm.settings import SETTING_NAMES

PLANNER_CHOICES = ("auto", "offline", "llm")
SAFETY_MODES = ("strict", "ask", "off")
MAX_PROSE_CHARS = 20_000
ENGINE_OPTIONS = (
    "namespace",
    "run",
    "safety",
    "yes",
    "previous",
    "stream",
    "config",
    "run_timeout",
)


def check_option(name: str, value: str, choices: tuple[str, ...]) -> None:
    """Raise :class:`SettingsError` unless ``value`` is one of ``choices``."""
    if value not in choices:
        close = difflib.get_close_matches(str(value), choices, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise SettingsError(
            f"{name}={value!r} is not one of {', '.join(choices)}.{hint} "
            f'Set it with %config AskMagics.{name} = "{choices[0]}".'
        )


def check_setting_names(names: Iterable[str]) -> None:
    """Raise ``TypeError`` for an option ``ask()`` does not take, suggesting a close one."""
    unknown = sorted(set(names) - set(SETTING_NAMES))
    if unknown:
        close = difflib.get_close_matches(unknown[0], SETTING_NAMES + ENGINE_OPTIONS, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise TypeError(
            f"ask() got an unknown option {unknown[0]!r}.{hint} Options: "
            f"{', '.join(ENGINE_OPTIONS + SETTING_NAMES)}."
        )


def clean_prose(prose: object) -> str:
    """The prose as text, stripped; :class:`PlanningError` for binary data or an essay."""
    if isinstance(prose, bytes):
        try:
            prose = prose.decode("utf-8")
        except UnicodeDecodeError:
            raise PlanningError(
                "The prose is binary data, not text. Type the task in words, "
                "e.g. %ask how many primes below 1e6"
            ) from None
    if not isinstance(prose, str):
        raise PlanningError(
            f"ask() takes the task as a string of prose, not "
            f"{type(prose).__name__}; e.g. ask('how many primes below 1e6')."
        )
    if len(prose) > MAX_PROSE_CHARS:
        raise PlanningError(
            f"The prose is {len(prose):,} characters long; a task fits in "
            f"{MAX_PROSE_CHARS:,}. Describe the task in a few sentences and "
            "pass the data as a variable (e.g. `data`) that the prose names."
        )
    printable = sum(ch.isprintable() or ch.isspace() for ch in prose)
    if prose and printable < 0.9 * len(prose):
        raise PlanningError(
            "The prose looks like binary data, not text. Type the task in "
            "words, e.g. %ask how many primes below 1e6"
        )
    return prose.strip()


def default_namespace() -> dict[str, Any]:
    """The IPython user namespace, else a fresh one named ``__main__``, as a notebook's."""
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None:
        return fresh_namespace()
    user_ns: dict[str, Any] = shell.user_ns
    return user_ns


def fresh_namespace() -> dict[str, Any]:
    """A new namespace for a task run outside IPython: ``__name__`` is ``"__main__"``, so
    ``if __name__ == "__main__":`` guards run as in a notebook or a script."""
    return {"__name__": "__main__"}
