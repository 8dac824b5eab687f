"""The AST visitor behind :func:`aigc_magic.safety.check`: pass 2, the judging.

With the snippet's names bound by :class:`~._bindings.Bindings` (pass 1), it reports every
reference to a refused name (asking :mod:`._lookup`), every write to a path it cannot prove
to lie inside the working directory (judged by :mod:`._writes`), every path to a credential
store (read by :mod:`._paths`), and the other rules of :data:`~aigc_magic.safety.RULES`.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Sequence

from ._bindings import Bindings
from ._lookup import Finding, canonical, const_str, credential_store, deny, is_built_string
from ._paths import mode_reads, path_text
from ._records import HOLE
from ._rules import (
    ATTR_FUNCS,
    DENY_ATTRS,
    DENY_CALLS,
    DUNDERS,
    DYNAMIC,
    ENV,
    ENV_GETTERS,
    ENV_WRITERS,
    FILE_WRITE,
    IMPORTERS,
    KERNEL_EXIT,
    NETWORK,
    PATH_KNOWN_WRITES,
    PATH_SELF_WRITES,
    SECRET_NAME,
    SECRETS,
    SENSITIVE_MODULES,
    SNIPPET_MAX,
    TARGET_KWARGS,
    URL,
    WRITE_METHODS,
    WRITES,
)
from ._writes import argument, target_problem, write_problems


class Checker(ast.NodeVisitor):
    """Pass 2: visit and judge every node, names resolved by :class:`Bindings` (pass 1)."""

    def __init__(self, code: str, tree: ast.Module, base: str) -> None:
        self.code = code
        self.base = base
        self.names = Bindings(tree)
        self.resolve = self.names.resolve
        self.findings: list[Finding] = []
        self.allow_module: set[int] = set()
        self.path_parts: set[int] = set()  # nodes already judged as part of a larger path

    # -- reporting --------------------------------------------------------------------

    def report(self, node: ast.AST, rule: str, detail: str = "", detail_zh: str = "") -> None:
        segment = ast.get_source_segment(self.code, node) or ""
        snippet = " ".join(segment.split())
        if len(snippet) > SNIPPET_MAX:
            snippet = snippet[: SNIPPET_MAX - 1] + "…"
        self.findings.append(
            Finding(
                rule,
                getattr(node, "lineno", 0),
                getattr(node, "col_offset", 0),
                snippet,
                detail,
                detail_zh,
            )
        )

    def _report_denied(
        self, node: ast.AST, names: Iterable[str], table: Callable[[str], str | None] = deny
    ) -> bool:
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
            if qn in SENSITIVE_MODULES:
                self.report(
                    node,
                    DYNAMIC,
                    f"uses the {qn} module as a value, which hides what is called on it",
                    f"把 {qn} 模块当作值传递，会隐藏对它的调用",
                )
                return

    # -- pass 2: imports --------------------------------------------------------------

    def visit_Import(self, node: ast.Import) -> None:
        for a in node.names:
            self._report_denied(node, [canonical(a.name)])

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level or not node.module:
            return
        module = canonical(node.module)
        for a in node.names:
            qn = module if a.name == "*" else canonical(f"{module}.{a.name}")
            self._report_denied(node, [qn])

    # -- pass 2: names and attributes -------------------------------------------------

    def visit_Name(self, node: ast.Name) -> None:
        if not isinstance(node.ctx, ast.Load):
            return
        names = self.resolve(node)
        if node.id == "__builtins__":
            self.report(node, DYNAMIC, "__builtins__")
        elif not self._report_denied(node, names):
            self._check_bare(node, names)

    def _check_bare(self, node: ast.AST, names: Sequence[str]) -> None:
        """A name used as a value, not called: the attribute helpers cannot be judged then."""
        for qn in names:
            if (qn in ATTR_FUNCS and qn != "builtins.hasattr") or qn in IMPORTERS:
                self.report(
                    node,
                    DYNAMIC,
                    f"{qn.removeprefix('builtins.')} used as a value",
                    f"把 {qn.removeprefix('builtins.')} 当作值使用",
                )
                return
        self._check_module_value(node, names)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr in DUNDERS:
            self.report(node, DYNAMIC, node.attr)
        elif node.attr in DENY_ATTRS:
            self.report(node, DENY_ATTRS[node.attr], f".{node.attr}")
            return
        names = self.resolve(node)
        if not isinstance(node.ctx, ast.Load):
            owners = self.resolve(node.value)
            if any(o in SENSITIVE_MODULES or o == "sys.path" for o in owners):
                self.report(
                    node,
                    DYNAMIC,
                    f"replaces {names[0]} for the whole kernel",
                    f"为整个内核替换了 {names[0]}",
                )
                return
        elif self._report_denied(node, names):
            return
        else:
            self._check_bare(node, names)
        self.allow_module.add(id(node.value))
        self.visit(node.value)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        owners = self.resolve(node.value)
        key = const_str(node.slice)
        if any(o in ENV for o in owners):
            if isinstance(node.ctx, ast.Load):
                self._check_env_key(node, node.slice)
            self.visit(node.slice)
            return
        if not isinstance(node.ctx, ast.Load) and any(
            o in ("sys.path", "sys.modules") for o in owners
        ):
            self.report(node, DYNAMIC, f"changes {owners[0]}", f"修改 {owners[0]}")
            self.visit(node.slice)
            return
        if "sys.modules" in owners and isinstance(node.ctx, ast.Load) and key is not None:
            names = self.resolve(node)
            if not self._report_denied(node, names):
                self._check_module_value(node, names)
            return
        if "builtins.globals()" in owners:
            self.report(
                node,
                DYNAMIC,
                "globals()/locals()/vars() lookup",
                "通过 globals()/locals()/vars() 查找名字",
            )
            self.visit(node.slice)
            return
        self.generic_visit(node)

    def visit_Compare(self, node: ast.Compare) -> None:
        # ``"HOME" in os.environ`` tests a name; it reads no value.
        if all(isinstance(op, (ast.In, ast.NotIn)) for op in node.ops) and all(
            any(o in ENV for o in self.resolve(c)) for c in node.comparators
        ):
            self.visit(node.left)
            return
        self.generic_visit(node)

    def visit_Raise(self, node: ast.Raise) -> None:
        exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
        if exc is not None:
            for qn in self.resolve(exc):
                if qn in ("builtins.SystemExit", "builtins.KeyboardInterrupt"):
                    self.report(node, KERNEL_EXIT, f"raise {qn.removeprefix('builtins.')}")
                    break
        self.generic_visit(node)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for b in node.bases:
            for qn in self.resolve(b):
                if qn in ("builtins.SystemExit", "builtins.KeyboardInterrupt"):
                    self.report(b, KERNEL_EXIT, f"subclass of {qn.removeprefix('builtins.')}")
        self.generic_visit(node)

    def visit_Assign(self, node: ast.Assign | ast.AnnAssign | ast.NamedExpr) -> None:
        # ``o = os`` is an alias the resolver follows, not a value that hides a call.
        if node.value is not None:
            self.allow_module.add(id(node.value))
        self.generic_visit(node)

    visit_AnnAssign = visit_NamedExpr = visit_Assign

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        if "sys.path" in self.resolve(node.target):
            self.report(node, DYNAMIC, "changes sys.path", "修改 sys.path")
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
        :func:`~._paths.path_text`); the parts are not judged again on their own.
        """
        if id(node) in self.path_parts:
            return
        used: set[int] = set()
        path = path_text(self.names, node, used, getattr(node, "lineno", 0))
        self.path_parts |= used
        store = credential_store(path)
        if store is not None:
            shown = path.replace(HOLE, "…")
            shown = shown if len(shown) <= 60 else shown[:59] + "…"
            self.report(node, SECRETS, f"{shown!r} is {store.en}", f"{shown!r} 是{store.zh}")

    # -- pass 2: calls ----------------------------------------------------------------

    def visit_Call(self, node: ast.Call) -> None:
        self._check_credential_path(node)
        funcs = self.resolve(node.func)
        done = False  # the callee has been judged; do not visit it again
        if node.args and any(f in ATTR_FUNCS for f in funcs):
            self.allow_module.add(id(node.args[0]))
        if any(f in IMPORTERS or f == "builtins.getattr" for f in funcs):
            whole = self.names.resolve_call(node)
            if self._report_denied(node, whole):
                done = True
            else:
                self._check_module_value(node, whole)
        if not done:
            for fn in funcs:
                done = self._special_call(node, fn) or done
        if not done:
            done = self._report_denied(node, funcs) or self._report_denied(
                node, funcs, DENY_CALLS.get
            )
        if not done and isinstance(node.func, ast.Attribute):
            self._method_call(node, node.func)
        last = (
            node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        )
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
        if fn in IMPORTERS:
            if not node.args or const_str(node.args[0]) is None:
                self.report(
                    node,
                    DYNAMIC,
                    f"{fn.removeprefix('builtins.')} of a computed name",
                    f"{fn.removeprefix('builtins.')} 导入运行时算出的名字",
                )
            return True
        if fn in ATTR_FUNCS:
            self._attr_call(node, fn)
            return True
        if fn in ENV_GETTERS:
            self._check_env_key(node, argument(node, 0, "key"))
            return True
        if fn in ENV_WRITERS:
            return True
        if fn in WRITES:
            for en, zh in write_problems(self.names, node, fn, WRITES[fn], self.base):
                self.report(node, FILE_WRITE, en, zh)
            return True
        if fn in ("numpy.load", "torch.load"):
            key, safe = ("allow_pickle", False) if fn == "numpy.load" else ("weights_only", True)
            kw = next((k for k in node.keywords if k.arg == key), None)
            value = kw.value.value if kw and isinstance(kw.value, ast.Constant) else None
            if (kw is None and fn == "torch.load") or (kw is not None and value is not safe):
                self.report(node, DYNAMIC, f"{fn} may unpickle", f"{fn} 可能反序列化 pickle")
            return False
        if fn in ("yaml.load", "yaml.load_all"):
            loader = argument(node, 1, "Loader")
            if loader is None or not any(
                q.endswith(("SafeLoader", "CSafeLoader", "BaseLoader"))
                for q in self.resolve(loader)
            ):
                self.report(
                    node, DYNAMIC, f"{fn} without a safe Loader", f"{fn} 未使用安全的 Loader"
                )
            return False
        if fn in ("operator.attrgetter", "operator.methodcaller"):
            names = node.args[:1] if fn == "operator.methodcaller" else node.args
            if any(const_str(a) is None or "__" in (const_str(a) or "") for a in names):
                self.report(
                    node,
                    DYNAMIC,
                    f"{fn} of a computed or dunder name",
                    f"{fn} 使用运行时算出的名字或双下划线名字",
                )
            return False
        if fn in ("timeit.timeit", "timeit.repeat", "timeit.Timer"):
            for i, name in ((0, "stmt"), (1, "setup")):
                arg = argument(node, i, name)
                if arg is not None and isinstance(arg, (ast.Constant, ast.JoinedStr, ast.BinOp)):
                    self.report(
                        node, DYNAMIC, f"{fn} runs a string as code", f"{fn} 把字符串当作代码运行"
                    )
                    break
        return False

    def _method_call(self, node: ast.Call, func: ast.Attribute) -> None:
        attr = func.attr
        owners = self.resolve(func.value)
        if attr in ("query", "eval", "evaluate") and node.args:
            # pandas' query/eval strings are parsed and can reach dunders with engine="python"
            text = const_str(node.args[0])
            if text is not None and "__" in text:
                self.report(
                    node,
                    DYNAMIC,
                    f".{attr} of a string that names a dunder",
                    f".{attr} 的字符串里含有双下划线名字",
                )
        if attr in WRITE_METHODS:
            target = next(
                (k.value for k in node.keywords if k.arg in TARGET_KWARGS), argument(node, 0, "")
            )
            if target is not None or any(k.arg is None for k in node.keywords):
                self._check_target(node, f".{attr}", target)
        elif attr in PATH_SELF_WRITES or (attr in PATH_KNOWN_WRITES and "pathlib.Path()" in owners):
            if attr == "open":
                mode = argument(node, 0, "mode")
                if mode is None or mode_reads(mode, flags=False):
                    return
            self._check_target(node, f"Path.{attr}", func.value)
            if attr in ("rename", "replace", "symlink_to", "hardlink_to"):
                self._check_target(node, f"Path.{attr}", argument(node, 0, "target"))

    # -- argument helpers -------------------------------------------------------------

    def _attr_call(self, node: ast.Call, fn: str) -> None:
        short = fn.removeprefix("builtins.")
        if len(node.args) < 2:
            return
        obj, name = node.args[0], node.args[1]
        self.allow_module.add(id(obj))
        attr = const_str(name)
        if attr is not None:
            if attr in DUNDERS:
                self.report(node, DYNAMIC, f"{short}(..., {attr!r})")
            elif (
                fn != "builtins.getattr"
                and fn != "builtins.hasattr"
                and any(o in SENSITIVE_MODULES or o == "builtins" for o in self.resolve(obj))
            ):
                self.report(
                    node,
                    DYNAMIC,
                    f"{short} on a module replaces it for the whole kernel",
                    f"{short} 修改了整个内核共享的模块",
                )
        elif is_built_string(name):
            self.report(
                node,
                DYNAMIC,
                f"{short} with an attribute name built from strings",
                f"{short} 的属性名由字符串拼接而成",
            )
        elif self.resolve(obj) and fn != "builtins.hasattr":
            self.report(
                node,
                DYNAMIC,
                f"{short} of a computed attribute on a module",
                f"{short} 在模块上访问运行时算出的属性",
            )

    def _check_env_key(self, node: ast.AST, key: ast.AST | None) -> None:
        if key is None:
            return
        name = const_str(key)
        if name is None:
            self.report(
                node,
                SECRETS,
                "reads an environment variable whose name is computed",
                "读取名字在运行时算出的环境变量",
            )
        elif SECRET_NAME.search(name):
            self.report(node, SECRETS, f"reads {name!r}", f"读取 {name!r}")

    def _url_arg(self, node: ast.Call) -> None:
        first = const_str(node.args[0]) if node.args else None
        if first is not None and URL.match(first):
            self.report(node, NETWORK, f"fetches {first[:60]}", f"下载 {first[:60]}")

    def _check_target(self, node: ast.Call, what: str, target: ast.AST | None) -> None:
        problem = target_problem(self.names, target, node.lineno, self.base)
        if problem:
            self.report(node, FILE_WRITE, f"{what}: {problem[0]}", f"{what}：{problem[1]}")
