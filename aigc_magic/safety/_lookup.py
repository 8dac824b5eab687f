"""What the tables in :mod:`._rules` say about a name, a path or a literal, and a finding.

:func:`canonical` spells a qualified name the way the tables do, :func:`deny` names the
rule that refuses it, :func:`credential_store` the store a path names; :class:`Finding` is
one place where the code breaks the policy. :func:`const_str` and :func:`is_built_string`
read string literals out of the syntax tree for both passes.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import lru_cache

from ._records import HOLE, CredentialStore
from ._rules import (
    CANONICAL_MODULES,
    CANONICAL_NAMES,
    CREDENTIAL_STORES,
    DENY_MODULES,
    DENY_NAMES,
    DENY_PREFIXES,
    DYNAMIC,
    ENV,
    REEXPORTED,
    RULES,
    SECRETS,
)


@dataclass(frozen=True)
class Finding:
    """One place where the code breaks the policy.

    Attributes
    ----------
    rule : str
        A key of :data:`RULES`.
    line, col : int
        Where the offending expression starts (1-based line, 0-based column, as :mod:`ast`).
    snippet : str
        The offending source, on one line, trimmed to about 80 characters.
    detail, detail_zh : str
        What was matched and why, in English and Chinese (``detail_zh`` empty when the
        detail is a name that reads the same in both).
    """

    rule: str
    line: int
    col: int
    snippet: str
    detail: str = ""
    detail_zh: str = ""

    def message(self, language: str = "en") -> str:
        """Return one line, e.g. ``line 3: runs a shell command ... (os.system) [process]``."""
        en, zh = RULES[self.rule]
        if language == "zh":
            detail = self.detail_zh or self.detail or self.snippet
            return f"第 {self.line} 行：{zh}（{detail}）[{self.rule}]"
        detail = self.detail or self.snippet
        return f"line {self.line}: {en} ({detail}) [{self.rule}]"


@lru_cache(maxsize=4096)
def canonical(qn: str) -> str:
    """The qualified name as the tables spell it (``pandas.io.common.os.system`` is
    ``os.system``, ``posix.system`` too, ``io.open`` is ``builtins.open``)."""
    parts = qn.split(".")
    for i in range(len(parts) - 1, 0, -1):  # pandas.io.common.os.system is os.system
        if parts[i] in REEXPORTED:
            qn = ".".join(parts[i:])
            break
    head, _, rest = qn.partition(".")
    head = CANONICAL_MODULES.get(head, head)
    qn = f"{head}.{rest}" if rest else head
    return CANONICAL_NAMES.get(qn, qn)


@lru_cache(maxsize=4096)
def deny(qn: str) -> str | None:
    """Return the rule that refuses any reference to ``qn``, or None."""
    if ".".join(qn.split(".", 2)[:2]) in ENV:
        return SECRETS
    parts = qn.split(".")
    for i in range(len(parts), 0, -1):  # os.system.__call__ is os.system
        prefix = ".".join(parts[:i])
        rule = DENY_NAMES.get(prefix) or DENY_MODULES.get(prefix)
        if rule:
            return rule
    if qn.startswith("builtins.globals()."):
        return DYNAMIC
    for prefix, rule in DENY_PREFIXES:
        if qn.startswith(prefix):
            return rule
    return None


def credential_store(path: str) -> CredentialStore | None:
    """The credential store a path built from literals names, or None."""
    if path.strip(HOLE + "/") == "":
        return None
    normal = re.sub(r"/{2,}", "/", path.replace("\\", "/"))
    return next((s for s in CREDENTIAL_STORES if s.pattern.search(normal)), None)


def const_str(node: ast.AST) -> str | None:
    """The text of a string (or bytes) literal, or None for any other expression."""
    if isinstance(node, ast.Constant):
        if isinstance(node.value, str):
            return node.value
        if isinstance(node.value, bytes):
            return node.value.decode("utf-8", "replace")
    return None


def is_built_string(node: ast.AST) -> bool:
    """Whether an expression builds a string at run time (``"sy" + "stem"``, f-strings...)."""
    if isinstance(node, (ast.BinOp, ast.JoinedStr, ast.Call, ast.IfExp, ast.BoolOp)):
        return True
    return isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice)
