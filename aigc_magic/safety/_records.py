"""The records the safety tables are made of, and the mark for a computed part of a path.

:class:`WriteSpec` says where a writing function takes its target and its mode (the rows of
``_rules.WRITES``); :class:`CredentialStore` is a file or folder that holds credentials and
the words a finding names it with (the rows of ``_rules.CREDENTIAL_STORES``); :data:`HOLE`
stands in a path for whatever is computed at run time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Stands for a part of a path that is computed at run time (a name, a call, ``{x}``).
HOLE = "\x00"


@dataclass(frozen=True)
class CredentialStore:
    """A file or folder that holds credentials, and how a finding names it."""

    pattern: re.Pattern[str]
    en: str
    zh: str

    @classmethod
    def matching(cls, components: str, en: str, zh: str) -> CredentialStore:
        """Match ``components`` (a regular expression) as whole path components anywhere
        in a path.

        A computed part (:data:`HOLE`) may end or start a component: ``f"{home}.ssh"`` and
        ``f".env.{stage}"`` count.
        """
        pattern = rf"(?:^|[/{HOLE}])(?:{components})(?:$|[/{HOLE}])"
        return cls(re.compile(pattern, re.IGNORECASE), en, zh)


@dataclass(frozen=True)
class WriteSpec:
    """Where a writing function takes its target path(s) and its mode.

    Arguments are ``(position, keyword)`` pairs.
    """

    targets: tuple[tuple[int, str], ...]
    mode: tuple[int, str] | None = None  # None: it always writes
    default: str = "r"  # the mode when none is given
    flags: bool = False  # os.open: the mode is an int of O_* flags

    @classmethod
    def of(
        cls, *targets: tuple[int, str], mode: tuple[int, str] | None = None, default: str = "r"
    ) -> WriteSpec:
        """A function that writes to ``targets``, reading its mode from ``mode``."""
        return cls(targets, mode, default)
