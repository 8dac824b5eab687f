"""Pass 2's judgement of file writes: where a writing call writes, and whether it may.

A write target must be a literal relative path inside the working directory that plants no
code (:func:`path_problem`); one computed at run time cannot be checked and is refused. The
checker asks :func:`write_problems` about the calls of ``_rules.WRITES`` and
:func:`target_problem` about writing methods; :func:`argument` finds a call's argument by
position or keyword.
"""

from __future__ import annotations

import ast
import os
import re

from ._bindings import Bindings
from ._lookup import const_str
from ._paths import literal_path, mode_reads
from ._records import WriteSpec
from ._rules import CODE_EXTS, COMPUTED


def argument(node: ast.Call, pos: int, name: str) -> ast.expr | None:
    """The call's argument at ``pos`` or named ``name``; the first one when a ``*args``
    hides where it is (so it is judged as computed); None when the call has none."""
    for kw in node.keywords:
        if kw.arg == name:
            return kw.value
    positional = node.args
    if any(isinstance(a, ast.Starred) for a in positional[: pos + 1]):
        return positional[0]  # unknown: judged as computed
    return positional[pos] if pos < len(positional) else None


def path_problem(path: str, base: str) -> tuple[str, str] | None:
    """Why a literal write target is refused, as (English, Chinese), or None when allowed."""
    if not path or "\x00" in path:
        return (f"{path!r} is not a usable path", f"{path!r} 不是可用的路径")
    if path.startswith("~"):
        return (f"{path!r} points into the home directory", f"{path!r} 指向用户主目录")
    if os.path.isabs(path) or path.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", path):
        return (f"{path!r} is an absolute path", f"{path!r} 是绝对路径")
    if ".." in re.split(r"[\\/]", path):
        return (f"{path!r} climbs out with '..'", f"{path!r} 用 '..' 跳出了工作目录")
    if path.lower().rstrip("/\\").endswith(CODE_EXTS):
        return (
            f"{path!r} would plant code Python could import or run, or overwrite a notebook",
            f"{path!r} 会写入可被导入或执行的代码，或覆盖笔记本",
        )
    full = os.path.realpath(os.path.join(base, path))
    if full == base:
        return (f"{path!r} is the working directory itself", f"{path!r} 就是工作目录本身")
    if not full.startswith(base.rstrip(os.sep) + os.sep):
        return (
            f"{path!r} resolves outside the working directory (symbolic link)",
            f"{path!r} 经符号链接解析到工作目录之外",
        )
    return None


def target_problem(
    names: Bindings, target: ast.AST | None, line: int, base: str
) -> tuple[str, str] | None:
    """Why writing to ``target`` is refused (English, Chinese), or None when it may."""
    path = literal_path(names, target, line)
    return COMPUTED if path is None else path_problem(path, base)


def write_problems(
    names: Bindings, node: ast.Call, fn: str, spec: WriteSpec, base: str
) -> list[tuple[str, str]]:
    """What is wrong with a call of the writing function ``fn`` (English, Chinese), each
    prefixed with the function's name; empty when it only reads or writes where it may."""
    what = fn.removeprefix("builtins.")
    spread = any(k.arg is None for k in node.keywords)  # f(**options): unknown
    if spec.mode is not None:
        mode = argument(node, *spec.mode)
        if mode is None and not spread:
            if not set(spec.default) & set("wax+"):
                return []
        elif mode is not None and mode_reads(mode, flags=spec.flags):
            return []
        elif mode is not None and not spec.flags and const_str(mode) is None:
            return [
                (
                    f"{what}: the mode is computed, so it may write",
                    f"{what}：打开模式在运行时算出，可能写入",
                )
            ]
    targets: list[ast.AST | None] = []
    if spread and not node.args:
        targets.append(None)
    else:
        targets.extend(t for p, n in spec.targets if (t := argument(node, p, n)) is not None)
    problems = (target_problem(names, t, node.lineno, base) for t in targets)
    return [(f"{what}: {p[0]}", f"{what}：{p[1]}") for p in problems if p]
