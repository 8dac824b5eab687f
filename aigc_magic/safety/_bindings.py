"""Pass 1 of the safety check: what each name in the snippet may stand for.

:class:`Bindings` binds names the way Python would within the snippet (imports, aliases,
chains of assignments, ``with ... as``) and resolves an expression to the canonical
qualified names it may stand for (``sys.modules`` and ``__import__`` lookups,
``getattr`` with a literal name, star imports of refused modules).
"""

from __future__ import annotations

import ast

from ._lookup import canonical, const_str, deny
from ._rules import (
    BUILTINS,
    DENY_CALLS,
    IMPORTERS,
    PATH_CTORS,
    SENSITIVE_MODULES,
    SHADOWABLE,
    WRITES,
)


class Bindings:
    """The snippet's names: aliases of modules and functions, star imports, how often each
    name is bound, and the literal each top-level name was first assigned."""

    def __init__(self, tree: ast.Module) -> None:
        self.aliases: dict[str, set[str]] = {}
        self.star: list[str] = []
        self.bound: dict[str, int] = {}
        self.literals: dict[str, tuple[int, ast.expr]] = {}
        self._collect(tree)

    # -- binding -------------------------------------------------------------

    def _bind(self, name: str, weight: int = 1) -> None:
        self.bound[name] = self.bound.get(name, 0) + weight

    def _collect(self, tree: ast.Module) -> None:
        pending: list[tuple[str, ast.expr]] = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for a in node.names:
                    name = a.asname or a.name.partition(".")[0]
                    target = canonical(a.name if a.asname else name)
                    self.aliases.setdefault(name, set()).add(target)
                    self._bind(name)
            elif isinstance(node, ast.ImportFrom):
                module = canonical(node.module or "") if not node.level else ""
                for a in node.names:
                    if a.name == "*":
                        if module:
                            self.star.append(module)
                        continue
                    self._bind(a.asname or a.name)
                    if module:
                        qn = canonical(f"{module}.{a.name}")
                        self.aliases.setdefault(a.asname or a.name, set()).add(qn)
            elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.NamedExpr)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if node.value is not None:
                    for t in targets:
                        self._pairs(t, node.value, pending)
            elif isinstance(node, ast.withitem) and node.optional_vars is not None:
                self._pairs(node.optional_vars, node.context_expr, pending)
            elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
                self._bind(node.id)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                self._bind(node.name)
            elif isinstance(node, ast.arg):
                self._bind(node.arg)
            elif isinstance(node, (ast.Global, ast.Nonlocal)):
                for name in node.names:
                    self._bind(name, 2)
            elif isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) and node.name:
                self._bind(node.name)
        for stmt in tree.body:
            if (
                isinstance(stmt, ast.Assign)
                and len(stmt.targets) == 1
                and isinstance(stmt.targets[0], ast.Name)
            ):
                self.literals[stmt.targets[0].id] = (stmt.lineno, stmt.value)
        for _ in range(6):  # chains like a = os; b = a; c = b.path settle in a few rounds
            changed = False
            for name, value in pending:
                for qn in self.resolve(value):
                    known = self.aliases.setdefault(name, set())
                    if qn not in known:
                        known.add(qn)
                        changed = True
            if not changed:
                break

    def _pairs(self, target: ast.AST, value: ast.expr, pending: list[tuple[str, ast.expr]]) -> None:
        if isinstance(target, ast.Name):
            pending.append((target.id, value))
        elif (
            isinstance(target, (ast.Tuple, ast.List))
            and isinstance(value, (ast.Tuple, ast.List))
            and len(target.elts) == len(value.elts)
        ):
            for t, v in zip(target.elts, value.elts, strict=True):
                self._pairs(t, v, pending)

    # -- name resolution --------------------------------------------------------------

    def resolve(self, node: ast.AST) -> tuple[str, ...]:
        """Qualified names an expression may stand for (empty when unknown)."""
        if isinstance(node, ast.Name):
            name = node.id
            if name in self.aliases:
                return tuple(self.aliases[name])
            if name in BUILTINS and not (name in SHADOWABLE and name in self.bound):
                # A snippet's own ``def eval`` does not make ``eval`` safe to call: the
                # binding could be conditional or deleted, so dangerous builtins stay.
                return ("builtins" if name == "__builtins__" else f"builtins.{name}",)
            if name in self.bound:
                return ()
            for module in reversed(self.star):
                qn = f"{module}.{name}"
                if deny(qn) or qn in WRITES or qn in DENY_CALLS:
                    return (qn,)
            if name == "get_ipython":
                return ("IPython.get_ipython",)
            return ()
        if isinstance(node, ast.Attribute):
            return tuple(canonical(f"{b}.{node.attr}") for b in self.resolve(node.value))
        if isinstance(node, ast.Call):
            return self.resolve_call(node)
        if isinstance(node, ast.Subscript):
            key = const_str(node.slice)
            if key is not None and "sys.modules" in self.resolve(node.value):
                return (canonical(key),)
            return ()
        if isinstance(node, ast.NamedExpr):
            return self.resolve(node.value)
        return ()

    def resolve_call(self, node: ast.Call) -> tuple[str, ...]:
        out: list[str] = []
        for fn in self.resolve(node.func):
            first = const_str(node.args[0]) if node.args else None
            if fn in IMPORTERS and first is not None:
                fromlist = len(node.args) > 3 or any(k.arg == "fromlist" for k in node.keywords)
                plain = fn == "builtins.__import__" and not fromlist
                out.append(canonical(first.partition(".")[0] if plain else first))
            elif fn == "builtins.getattr" and len(node.args) >= 2:
                attr = const_str(node.args[1])
                if attr is not None:
                    out.extend(canonical(f"{b}.{attr}") for b in self.resolve(node.args[0]))
            elif fn in ("builtins.globals", "builtins.locals") or (
                fn == "builtins.vars" and self._vars_of_namespace(node)
            ):
                out.append("builtins.globals()")
            elif fn == "multiprocessing.get_context":
                out.append("multiprocessing")
            elif fn in PATH_CTORS:
                out.append("pathlib.Path()")
        return tuple(out)

    def _vars_of_namespace(self, node: ast.Call) -> bool:
        """``vars()`` is the caller's namespace; ``vars(os)`` a module's; ``vars(obj)`` is data."""
        return not node.args or any(
            q in SENSITIVE_MODULES or q == "builtins" for q in self.resolve(node.args[0])
        )
