"""The AST visitor behind :func:`aigc_magic.safety.check`.

It binds names the way Python would within the snippet (imports, aliases, chains of
assignments, ``sys.modules`` and ``__import__`` lookups), then reports every reference to
a refused name, every write to a path it cannot prove to lie inside the working
directory, every path to a credential store, and the other rules of
:data:`~aigc_magic.safety.RULES`.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Sequence

from ._rules import (
    _ATTR_FUNCS,
    _BUILTINS,
    _COMPUTED,
    _D,
    _DENY_ATTRS,
    _DENY_CALLS,
    _DUNDERS,
    _ENV,
    _ENV_GETTERS,
    _ENV_WRITERS,
    _HOLE,
    _IMPORTERS,
    _K,
    _N,
    _PATH_CTORS,
    _PATH_HOMES,
    _PATH_JOINS,
    _PATH_KNOWN_WRITES,
    _PATH_SAME,
    _PATH_SAME_METHODS,
    _PATH_SELF_WRITES,
    _READ_FLAGS,
    _S,
    _SECRET_NAME,
    _SENSITIVE_MODULES,
    _SHADOWABLE,
    _SNIPPET_MAX,
    _TARGET_KWARGS,
    _URL,
    _W,
    _WRITE_METHODS,
    _WRITES,
    Finding,
    _canonical,
    _const_str,
    _credential_store,
    _deny,
    _is_built_string,
    _path_problem,
    _Write,
)


class _Checker(ast.NodeVisitor):
    """Two passes: collect the snippet's bindings, then visit and judge every node."""

    def __init__(self, code: str, tree: ast.Module, base: str) -> None:
        self.code = code
        self.base = base
        self.findings: list[Finding] = []
        self.aliases: dict[str, set[str]] = {}
        self.star: list[str] = []
        self.bound: dict[str, int] = {}
        self.literals: dict[str, tuple[int, ast.expr]] = {}
        self.allow_module: set[int] = set()
        self.path_parts: set[int] = set()  # nodes already judged as part of a larger path
        self._collect(tree)

    # -- pass 1: bindings -------------------------------------------------------------

    def _bind(self, name: str, weight: int = 1) -> None:
        self.bound[name] = self.bound.get(name, 0) + weight

    def _collect(self, tree: ast.Module) -> None:
        pending: list[tuple[str, ast.expr]] = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for a in node.names:
                    name = a.asname or a.name.partition(".")[0]
                    target = _canonical(a.name if a.asname else name)
                    self.aliases.setdefault(name, set()).add(target)
                    self._bind(name)
            elif isinstance(node, ast.ImportFrom):
                module = _canonical(node.module or "") if not node.level else ""
                for a in node.names:
                    if a.name == "*":
                        if module:
                            self.star.append(module)
                        continue
                    self._bind(a.asname or a.name)
                    if module:
                        qn = _canonical(f"{module}.{a.name}")
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
            if (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
                    and isinstance(stmt.targets[0], ast.Name)):
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

    def _pairs(self, target: ast.AST, value: ast.expr,
               pending: list[tuple[str, ast.expr]]) -> None:
        if isinstance(target, ast.Name):
            pending.append((target.id, value))
        elif (isinstance(target, (ast.Tuple, ast.List)) and isinstance(value, (ast.Tuple, ast.List))
              and len(target.elts) == len(value.elts)):
            for t, v in zip(target.elts, value.elts, strict=True):
                self._pairs(t, v, pending)

    # -- name resolution --------------------------------------------------------------

    def resolve(self, node: ast.AST) -> tuple[str, ...]:
        """Qualified names an expression may stand for (empty when unknown)."""
        if isinstance(node, ast.Name):
            name = node.id
            if name in self.aliases:
                return tuple(self.aliases[name])
            if name in _BUILTINS and not (name in _SHADOWABLE and name in self.bound):
                # A snippet's own ``def eval`` does not make ``eval`` safe to call: the
                # binding could be conditional or deleted, so dangerous builtins stay.
                return ("builtins" if name == "__builtins__" else f"builtins.{name}",)
            if name in self.bound:
                return ()
            for module in reversed(self.star):
                qn = f"{module}.{name}"
                if _deny(qn) or qn in _WRITES or qn in _DENY_CALLS:
                    return (qn,)
            if name == "get_ipython":
                return ("IPython.get_ipython",)
            return ()
        if isinstance(node, ast.Attribute):
            return tuple(_canonical(f"{b}.{node.attr}") for b in self.resolve(node.value))
        if isinstance(node, ast.Call):
            return self._resolve_call(node)
        if isinstance(node, ast.Subscript):
            key = _const_str(node.slice)
            if key is not None and "sys.modules" in self.resolve(node.value):
                return (_canonical(key),)
            return ()
        if isinstance(node, ast.NamedExpr):
            return self.resolve(node.value)
        return ()

    def _resolve_call(self, node: ast.Call) -> tuple[str, ...]:
        out: list[str] = []
        for fn in self.resolve(node.func):
            first = _const_str(node.args[0]) if node.args else None
            if fn in _IMPORTERS and first is not None:
                fromlist = len(node.args) > 3 or any(k.arg == "fromlist" for k in node.keywords)
                plain = fn == "builtins.__import__" and not fromlist
                out.append(_canonical(first.partition(".")[0] if plain else first))
            elif fn == "builtins.getattr" and len(node.args) >= 2:
                attr = _const_str(node.args[1])
                if attr is not None:
                    out.extend(_canonical(f"{b}.{attr}") for b in self.resolve(node.args[0]))
            elif fn in ("builtins.globals", "builtins.locals") or (
                    fn == "builtins.vars" and self._vars_of_namespace(node)):
                out.append("builtins.globals()")
            elif fn == "multiprocessing.get_context":
                out.append("multiprocessing")
            elif fn in _PATH_CTORS:
                out.append("pathlib.Path()")
        return tuple(out)

    def _vars_of_namespace(self, node: ast.Call) -> bool:
        """``vars()`` is the caller's namespace; ``vars(os)`` a module's; ``vars(obj)`` is data."""
        return not node.args or any(q in _SENSITIVE_MODULES or q == "builtins"
                                    for q in self.resolve(node.args[0]))

    # -- reporting --------------------------------------------------------------------

    def report(self, node: ast.AST, rule: str, detail: str = "", detail_zh: str = "") -> None:
        segment = ast.get_source_segment(self.code, node) or ""
        snippet = " ".join(segment.split())
        if len(snippet) > _SNIPPET_MAX:
            snippet = snippet[: _SNIPPET_MAX - 1] + "…"
        self.findings.append(Finding(rule, getattr(node, "lineno", 0),
                                     getattr(node, "col_offset", 0), snippet, detail, detail_zh))

    def _report_denied(self, node: ast.AST, names: Iterable[str],
                       table: Callable[[str], str | None] = _deny) -> bool:
        for qn in names:
            rule = table(qn)
            if rule:
                shown = qn.replace("builtins.globals()", "globals()").removeprefix("builtins.")
                self.report(node, rule, shown)
                return True
        return False

    def _check_module_value(self, node: ast.AST, names: Iterable[str]) -> None:
        if id(node) in self.allow_module:
            return
        for qn in names:
            if qn in _SENSITIVE_MODULES:
                self.report(node, _D, f"uses the {qn} module as a value, which hides what is "
                            "called on it", f"把 {qn} 模块当作值传递，会隐藏对它的调用")
                return

    # -- pass 2: imports --------------------------------------------------------------

    def visit_Import(self, node: ast.Import) -> None:
        for a in node.names:
            self._report_denied(node, [_canonical(a.name)])

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level or not node.module:
            return
        module = _canonical(node.module)
        for a in node.names:
            qn = module if a.name == "*" else _canonical(f"{module}.{a.name}")
            self._report_denied(node, [qn])

    # -- pass 2: names and attributes -------------------------------------------------

    def visit_Name(self, node: ast.Name) -> None:
        if not isinstance(node.ctx, ast.Load):
            return
        names = self.resolve(node)
        if node.id == "__builtins__":
            self.report(node, _D, "__builtins__")
        elif not self._report_denied(node, names):
            self._check_bare(node, names)

    def _check_bare(self, node: ast.AST, names: Sequence[str]) -> None:
        """A name used as a value, not called: the attribute helpers cannot be judged then."""
        for qn in names:
            if (qn in _ATTR_FUNCS and qn != "builtins.hasattr") or qn in _IMPORTERS:
                self.report(node, _D, f"{qn.removeprefix('builtins.')} used as a value",
                            f"把 {qn.removeprefix('builtins.')} 当作值使用")
                return
        self._check_module_value(node, names)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr in _DUNDERS:
            self.report(node, _D, node.attr)
        elif node.attr in _DENY_ATTRS:
            self.report(node, _DENY_ATTRS[node.attr], f".{node.attr}")
            return
        names = self.resolve(node)
        if not isinstance(node.ctx, ast.Load):
            owners = self.resolve(node.value)
            if any(o in _SENSITIVE_MODULES or o == "sys.path" for o in owners):
                self.report(node, _D, f"replaces {names[0]} for the whole kernel",
                            f"为整个内核替换了 {names[0]}")
                return
        elif self._report_denied(node, names):
            return
        else:
            self._check_bare(node, names)
        self.allow_module.add(id(node.value))
        self.visit(node.value)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        owners = self.resolve(node.value)
        key = _const_str(node.slice)
        if any(o in _ENV for o in owners):
            if isinstance(node.ctx, ast.Load):
                self._check_env_key(node, node.slice)
            self.visit(node.slice)
            return
        if not isinstance(node.ctx, ast.Load) and any(o in ("sys.path", "sys.modules")
                                                       for o in owners):
            self.report(node, _D, f"changes {owners[0]}", f"修改 {owners[0]}")
            self.visit(node.slice)
            return
        if "sys.modules" in owners and isinstance(node.ctx, ast.Load) and key is not None:
            names = self.resolve(node)
            if not self._report_denied(node, names):
                self._check_module_value(node, names)
            return
        if "builtins.globals()" in owners:
            self.report(node, _D, "globals()/locals()/vars() lookup",
                        "通过 globals()/locals()/vars() 查找名字")
            self.visit(node.slice)
            return
        self.generic_visit(node)

    def visit_Compare(self, node: ast.Compare) -> None:
        # ``"HOME" in os.environ`` tests a name; it reads no value.
        if all(isinstance(op, (ast.In, ast.NotIn)) for op in node.ops) and all(
                any(o in _ENV for o in self.resolve(c)) for c in node.comparators):
            self.visit(node.left)
            return
        self.generic_visit(node)

    def visit_Raise(self, node: ast.Raise) -> None:
        exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
        if exc is not None:
            for qn in self.resolve(exc):
                if qn in ("builtins.SystemExit", "builtins.KeyboardInterrupt"):
                    self.report(node, _K, f"raise {qn.removeprefix('builtins.')}")
                    break
        self.generic_visit(node)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for b in node.bases:
            for qn in self.resolve(b):
                if qn in ("builtins.SystemExit", "builtins.KeyboardInterrupt"):
                    self.report(b, _K, f"subclass of {qn.removeprefix('builtins.')}")
        self.generic_visit(node)

    def visit_Assign(self, node: ast.Assign | ast.AnnAssign | ast.NamedExpr) -> None:
        # ``o = os`` is an alias the resolver follows, not a value that hides a call.
        if node.value is not None:
            self.allow_module.add(id(node.value))
        self.generic_visit(node)

    visit_AnnAssign = visit_NamedExpr = visit_Assign

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        if "sys.path" in self.resolve(node.target):
            self.report(node, _D, "changes sys.path", "修改 sys.path")
            self.visit(node.value)
            return
        self.generic_visit(node)

    # -- pass 2: paths to credential stores -------------------------------------------

    def visit_Expr(self, node: ast.Expr) -> None:
        if not isinstance(node.value, ast.Constant):  # a docstring or a bare string reads nothing
            self.visit(node.value)

    def visit_Constant(self, node: ast.Constant) -> None:
        self._check_credential_path(node)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        self._check_credential_path(node)
        self.generic_visit(node)

    def visit_BinOp(self, node: ast.BinOp) -> None:
        self._check_credential_path(node)
        self.generic_visit(node)

    def _check_credential_path(self, node: ast.expr) -> None:
        """Report a path to a credential store, wherever it is built and whoever reads it.

        The outermost path-building expression is judged once, its parts joined (see
        :meth:`_path_text`); the parts are not judged again on their own.
        """
        if id(node) in self.path_parts:
            return
        used: set[int] = set()
        path = self._path_text(node, used, getattr(node, "lineno", 0))
        self.path_parts |= used
        store = _credential_store(path)
        if store is not None:
            shown = path.replace(_HOLE, "…")
            shown = shown if len(shown) <= 60 else shown[:59] + "…"
            self.report(node, _S, f"{shown!r} is {store.en}", f"{shown!r} 是{store.zh}")

    def _path_text(self, node: ast.AST, used: set[int], line: int) -> str:
        """The literal parts of a path-building expression, joined the way Python joins them.

        Strings, f-strings, ``+`` and ``/``, ``Path(...)``, ``os.path.join``, ``joinpath``,
        ``"/".join([...])``, ``expanduser`` and its kin, ``str(...)``; ``Path.home()`` is
        ``~``; a name bound once to such an expression earlier stands for it. Whatever else
        is computed becomes :data:`_HOLE`. Nodes that were joined are added to ``used``.
        """
        text = _const_str(node)
        if text is not None:
            used.add(id(node))
            return text
        if isinstance(node, ast.JoinedStr):
            used.add(id(node))
            return "".join(self._path_text(v.value if isinstance(v, ast.FormattedValue) else v,
                                           used, line) for v in node.values)
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Div, ast.Add)):
            used.add(id(node))
            left = self._path_text(node.left, used, line)
            right = self._path_text(node.right, used, line)
            return f"{left}/{right}" if isinstance(node.op, ast.Div) else left + right
        if isinstance(node, ast.Name):
            bound = self.literals.get(node.id)
            if bound and self.bound.get(node.id) == 1 and bound[0] < line:
                return self._path_text(bound[1], set(), bound[0])
        elif isinstance(node, ast.Call):
            joined = self._path_call(node, used, line)
            if joined is not None:
                used.add(id(node))
                return joined
        return _HOLE

    def _path_call(self, node: ast.Call, used: set[int], line: int) -> str | None:
        """The path a call builds from its receiver and arguments, or None for other calls."""
        func, funcs = node.func, self.resolve(node.func)
        parts: Sequence[ast.AST] | None = None
        sep = "/"
        if any(f in _PATH_HOMES for f in funcs):
            return "~"
        if any(f in _PATH_JOINS for f in funcs):
            parts = node.args
        elif any(f in _PATH_SAME for f in funcs) or (
                isinstance(func, ast.Name) and func.id == "str" and "str" not in self.bound):
            parts = node.args[:1]
        elif isinstance(func, ast.Attribute):
            joined = _const_str(func.value)
            if func.attr in _PATH_SAME_METHODS and not node.args:
                parts = [func.value]
            elif func.attr == "joinpath":
                parts = [func.value, *node.args]
            elif (func.attr == "join" and joined is not None and len(node.args) == 1
                  and isinstance(node.args[0], (ast.List, ast.Tuple))):
                sep, parts = joined, node.args[0].elts
                used.add(id(func.value))
        if parts is None:
            return None
        return sep.join(self._path_text(p, used, line) for p in parts)

    # -- pass 2: calls ----------------------------------------------------------------

    def visit_Call(self, node: ast.Call) -> None:
        self._check_credential_path(node)
        funcs = self.resolve(node.func)
        done = False  # the callee has been judged; do not visit it again
        if node.args and any(f in _ATTR_FUNCS for f in funcs):
            self.allow_module.add(id(node.args[0]))
        if any(f in _IMPORTERS or f == "builtins.getattr" for f in funcs):
            whole = self._resolve_call(node)
            if self._report_denied(node, whole):
                done = True
            else:
                self._check_module_value(node, whole)
        if not done:
            for fn in funcs:
                done = self._special_call(node, fn) or done
        if not done:
            done = self._report_denied(node, funcs) or self._report_denied(
                node, funcs, _DENY_CALLS.get)
        if not done and isinstance(node.func, ast.Attribute):
            self._method_call(node, node.func)
        last = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(
            node.func, "id", "")
        if last.startswith(("read", "load", "fetch", "urlopen", "imread", "open")):
            self._url_arg(node)
        if not done:
            self.visit(node.func)
        for arg in node.args:
            self.visit(arg)
        for kw in node.keywords:
            self.visit(kw.value)

    def _special_call(self, node: ast.Call, fn: str) -> bool:
        """Judge calls whose safety depends on their arguments; True when fn was handled."""
        if fn in _IMPORTERS:
            if not node.args or _const_str(node.args[0]) is None:
                self.report(node, _D, f"{fn.removeprefix('builtins.')} of a computed name",
                            f"{fn.removeprefix('builtins.')} 导入运行时算出的名字")
            return True
        if fn in _ATTR_FUNCS:
            self._attr_call(node, fn)
            return True
        if fn in _ENV_GETTERS:
            self._check_env_key(node, self._arg(node, 0, "key"))
            return True
        if fn in _ENV_WRITERS:
            return True
        if fn in _WRITES:
            self._write_call(node, fn, _WRITES[fn])
            return True
        if fn in ("numpy.load", "torch.load"):
            key, safe = ("allow_pickle", False) if fn == "numpy.load" else ("weights_only", True)
            kw = next((k for k in node.keywords if k.arg == key), None)
            value = kw.value.value if kw and isinstance(kw.value, ast.Constant) else None
            if (kw is None and fn == "torch.load") or (kw is not None and value is not safe):
                self.report(node, _D, f"{fn} may unpickle", f"{fn} 可能反序列化 pickle")
            return False
        if fn in ("yaml.load", "yaml.load_all"):
            loader = self._arg(node, 1, "Loader")
            if loader is None or not any(q.endswith(("SafeLoader", "CSafeLoader", "BaseLoader"))
                                         for q in self.resolve(loader)):
                self.report(node, _D, f"{fn} without a safe Loader", f"{fn} 未使用安全的 Loader")
            return False
        if fn in ("operator.attrgetter", "operator.methodcaller"):
            names = node.args[:1] if fn == "operator.methodcaller" else node.args
            if any(_const_str(a) is None or "__" in (_const_str(a) or "") for a in names):
                self.report(node, _D, f"{fn} of a computed or dunder name",
                            f"{fn} 使用运行时算出的名字或双下划线名字")
            return False
        if fn in ("timeit.timeit", "timeit.repeat", "timeit.Timer"):
            for i, name in ((0, "stmt"), (1, "setup")):
                arg = self._arg(node, i, name)
                if arg is not None and isinstance(arg, (ast.Constant, ast.JoinedStr, ast.BinOp)):
                    self.report(node, _D, f"{fn} runs a string as code",
                                f"{fn} 把字符串当作代码运行")
                    break
        return False

    def _method_call(self, node: ast.Call, func: ast.Attribute) -> None:
        attr = func.attr
        owners = self.resolve(func.value)
        if attr in ("query", "eval", "evaluate") and node.args:
            # pandas' query/eval strings are parsed and can reach dunders with engine="python"
            text = _const_str(node.args[0])
            if text is not None and "__" in text:
                self.report(node, _D, f".{attr} of a string that names a dunder",
                            f".{attr} 的字符串里含有双下划线名字")
        if attr in _WRITE_METHODS:
            target = next((k.value for k in node.keywords if k.arg in _TARGET_KWARGS),
                          self._arg(node, 0, ""))
            if target is not None or any(k.arg is None for k in node.keywords):
                self._check_target(node, f".{attr}", target)
        elif attr in _PATH_SELF_WRITES or (attr in _PATH_KNOWN_WRITES
                                          and "pathlib.Path()" in owners):
            if attr == "open":
                mode = self._arg(node, 0, "mode")
                if mode is None or self._mode_reads(mode, flags=False):
                    return
            self._check_target(node, f"Path.{attr}", func.value)
            if attr in ("rename", "replace", "symlink_to", "hardlink_to"):
                self._check_target(node, f"Path.{attr}", self._arg(node, 0, "target"))

    # -- argument helpers -------------------------------------------------------------

    @staticmethod
    def _arg(node: ast.Call, pos: int, name: str) -> ast.expr | None:
        for kw in node.keywords:
            if kw.arg == name:
                return kw.value
        positional = node.args
        if any(isinstance(a, ast.Starred) for a in positional[: pos + 1]):
            return positional[0]  # unknown: judged as computed
        return positional[pos] if pos < len(positional) else None

    def _attr_call(self, node: ast.Call, fn: str) -> None:
        short = fn.removeprefix("builtins.")
        if len(node.args) < 2:
            return
        obj, name = node.args[0], node.args[1]
        self.allow_module.add(id(obj))
        attr = _const_str(name)
        if attr is not None:
            if attr in _DUNDERS:
                self.report(node, _D, f"{short}(..., {attr!r})")
            elif fn != "builtins.getattr" and fn != "builtins.hasattr" and any(
                    o in _SENSITIVE_MODULES or o == "builtins" for o in self.resolve(obj)):
                self.report(node, _D, f"{short} on a module replaces it for the whole kernel",
                            f"{short} 修改了整个内核共享的模块")
        elif _is_built_string(name):
            self.report(node, _D, f"{short} with an attribute name built from strings",
                        f"{short} 的属性名由字符串拼接而成")
        elif self.resolve(obj) and fn != "builtins.hasattr":
            self.report(node, _D, f"{short} of a computed attribute on a module",
                        f"{short} 在模块上访问运行时算出的属性")

    def _check_env_key(self, node: ast.AST, key: ast.AST | None) -> None:
        if key is None:
            return
        name = _const_str(key)
        if name is None:
            self.report(node, _S, "reads an environment variable whose name is computed",
                        "读取名字在运行时算出的环境变量")
        elif _SECRET_NAME.search(name):
            self.report(node, _S, f"reads {name!r}", f"读取 {name!r}")

    def _url_arg(self, node: ast.Call) -> None:
        first = _const_str(node.args[0]) if node.args else None
        if first is not None and _URL.match(first):
            self.report(node, _N, f"fetches {first[:60]}", f"下载 {first[:60]}")

    def _literal_path(self, node: ast.AST | None, line: int) -> str | None:
        """The path an expression stands for when it is built only from literals."""
        if node is None:
            return None
        text = _const_str(node)
        if text is not None:
            return text
        if isinstance(node, ast.Name):
            bound = self.literals.get(node.id)
            if bound and self.bound.get(node.id) == 1 and bound[0] < line:
                return self._literal_path(bound[1], bound[0])
            return None
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Div, ast.Add)):
            left = self._literal_path(node.left, line)
            right = self._literal_path(node.right, line)
            if left is None or right is None:
                return None
            return f"{left}/{right}" if isinstance(node.op, ast.Div) else left + right
        if isinstance(node, ast.Call) and not node.keywords:
            funcs = self.resolve(node.func)
            if any(f in _PATH_CTORS or f == "os.path.join" for f in funcs):
                parts = [self._literal_path(a, line) for a in node.args]
                if all(p is not None for p in parts):
                    return "/".join(p for p in parts if p is not None) or "."
        return None

    def _check_target(self, node: ast.Call, what: str, target: ast.AST | None) -> None:
        path = self._literal_path(target, node.lineno)
        problem = _COMPUTED if path is None else _path_problem(path, self.base)
        if problem:
            self.report(node, _W, f"{what}: {problem[0]}", f"{what}：{problem[1]}")

    def _mode_reads(self, mode: ast.AST, *, flags: bool) -> bool:
        if flags:
            names = [n.attr if isinstance(n, ast.Attribute) else n.id for n in ast.walk(mode)
                     if isinstance(n, (ast.Attribute, ast.Name))]
            ops_ok = all(isinstance(n, (ast.Attribute, ast.Name, ast.BinOp, ast.BitOr, ast.Load))
                         for n in ast.walk(mode))
            return ops_ok and all(n in _READ_FLAGS or n == "os" for n in names)
        text = _const_str(mode)
        if text is None:
            return False
        return not set(text.split(":")[0].split("|")[0]) & set("wax+")

    def _write_call(self, node: ast.Call, fn: str, spec: _Write) -> None:
        what = fn.removeprefix("builtins.")
        spread = any(k.arg is None for k in node.keywords)  # f(**options): unknown
        if spec.mode is not None:
            mode = self._arg(node, *spec.mode)
            if mode is None and not spread:
                if not set(spec.default) & set("wax+"):
                    return
            elif mode is not None and self._mode_reads(mode, flags=spec.flags):
                return
            elif mode is not None and not spec.flags and _const_str(mode) is None:
                self.report(node, _W, f"{what}: the mode is computed, so it may write",
                            f"{what}：打开模式在运行时算出，可能写入")
                return
        if spread and not node.args:
            self._check_target(node, what, None)
            return
        for pos, name in spec.targets:
            target = self._arg(node, pos, name)
            if target is not None:
                self._check_target(node, what, target)
