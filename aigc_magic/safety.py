"""The static safety policy that generated code must pass before it runs.

Generated code (from an LLM or the offline planner) is untrusted: it runs in the user's own
kernel, next to their data, their files and their API keys. :func:`check` parses it with
:mod:`ast` and refuses the things a compute task never needs:

=================  ==========================================================================
rule               what it refuses
=================  ==========================================================================
``process``        shell commands and child processes: :mod:`subprocess`, ``os.system``,
                   ``os.popen``, ``os.exec*``, ``os.spawn*``, ``os.posix_spawn*``, ``os.fork``,
                   :mod:`pty`, signals (``os.kill``, ``signal.signal``/``alarm``/...),
                   ``multiprocessing.Process``, ``asyncio.create_subprocess_*``, :mod:`webbrowser`
``file-write``     writing, moving, deleting or changing files anywhere but a *literal*
                   relative path inside the working directory (``open(..., "w")``,
                   :mod:`shutil`, ``os.remove``/``rename``/..., :mod:`pathlib` writers, numpy
                   ``save``/``savetxt``/``tofile``, pandas ``to_*``, ``savefig``); a computed
                   target cannot be checked, so it is refused too, and so is a file Python
                   could import or a notebook (``.py``, ``.pth``, ``.so``, ``.ipynb``...)
``network``        sockets, HTTP and mail clients and servers, SSH, ``openai`` (generated code
                   must not call the LLM itself), dataset downloaders, URLs given to readers
``dynamic-code``   ``eval``/``exec``/``compile``, imports of computed names, attribute names
                   built from strings, ``globals()``/``vars()`` lookups, interpreter dunders
                   (``__globals__``, ``__subclasses__``, ...), frames, ``sys.modules``
                   lookups that are not literal, ``sys.path`` changes, unpickling, ``runpy``,
                   ``types.FunctionType``/``CodeType``, ``get_ipython()``, and sensitive modules
                   (``os``, ``sys``, ``builtins``, ...) passed around as values
``native-code``    :mod:`ctypes`, ``cffi``, ``numpy.ctypeslib``
``secrets``        reading an environment variable whose name looks secret (``*KEY*``,
                   ``*TOKEN*``, ``*SECRET*``, ``*PASSWORD*``, ``*PASSWD*``, ``*CREDENTIAL*``) or
                   whose name is computed, and any wholesale read of ``os.environ``
``kernel-exit``    ``sys.exit``, ``exit()``, ``quit()``, ``os._exit``, ``os.abort``,
                   ``raise SystemExit`` / ``KeyboardInterrupt``
=================  ==========================================================================

Names are resolved the way Python would bind them within the snippet: ``import os as o``,
``from os import system as s``, star imports, ``o = os`` (and chains of such assignments),
``sys.modules["os"]``, ``__import__("os")``, ``importlib.import_module("os")``,
``getattr(os, "system")`` and ``builtins.eval`` all reach the same rule as the plain spelling.
Any *reference* to a refused name counts, not only a call, so ``f = os.system`` or
``map(os.system, cmds)`` is caught where the name appears. Importing a refused module is a
finding even when the import is unused.

What this cannot do
-------------------
A static check cannot prove code safe. Python is too dynamic: a value that reaches a
dangerous object through data (a dictionary filled at run time, an object returned by a
third-party library, a pandas ``query`` string, a pickle inside a file the user already has)
is invisible to it. The policy blocks the obvious spellings and the known tricks, and refuses
what it cannot check (computed paths, computed attribute names on modules, computed imports);
the user's consent to run the code shown to them covers the rest. It is a guard against a
careless or misled generator, not a sandbox against a determined attacker.

Known gaps, on purpose or for now:

- methods on objects of unknown type are judged by name only where the name is specific to
  writing files (``write_text``, ``to_csv``, ``savefig``, ``tofile``...), so
  ``image.save(path)``, ``workbook.save(path)``, ``array.dump(path)`` and
  ``TarFile.extractall(path)`` pass;
- ``functools.partial(open, mode="w")`` passes (``open`` used as a value is allowed, since
  reading is);
- URLs are recognised only as literals given to ``read*``/``load*``/``fetch*``/``open*``
  callables, and libraries that download on their own (``keras.datasets``, ``torchvision``
  with ``download=True``, ``transformers`` ``from_pretrained``) are not listed;
- :mod:`tempfile` may create new files in the system temporary directory;
- names are resolved without regard to scope or order, which errs towards refusing, and a
  snippet's own ``def eval`` or ``def open`` does not shadow the builtin;
- code written in IPython syntax (``!ls``, ``%run``) does not parse here and raises
  :class:`SyntaxError`; the caller must treat that as a refusal, or check the text IPython
  will actually run (``shell.transform_cell(code)``), where ``get_ipython()`` is refused.
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["RULES", "Finding", "check", "format_findings"]

RULES: dict[str, tuple[str, str]] = {
    "process": (
        "runs a shell command or starts, forks or signals a process",
        "运行 shell 命令，或启动、分叉进程、向进程发信号",
    ),
    "file-write": (
        "writes, moves or deletes a file that may lie outside the working directory",
        "写入、移动或删除的文件可能在工作目录之外",
    ),
    "network": ("reaches the network", "访问网络"),
    "dynamic-code": (
        "runs code built at run time or reaches interpreter internals",
        "运行运行时拼出的代码，或触及解释器内部",
    ),
    "native-code": ("loads native code", "加载本机代码"),
    "secrets": ("reads secrets from the environment", "读取环境变量中的密钥"),
    "kernel-exit": ("would stop the kernel", "会终止内核"),
}

_SNIPPET_MAX = 80


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


def check(code: str, *, cwd: str | os.PathLike[str] | None = None) -> list[Finding]:
    """Check generated code against the policy before anything runs.

    Parameters
    ----------
    code : str
        Python source.
    cwd : str or path-like, optional
        The working directory the code will run in (default: the current one). Literal
        relative write targets are resolved against it, symbolic links included, and must
        stay inside it.

    Returns
    -------
    list of Finding
        Sorted by line and column; empty when the code may run.

    Raises
    ------
    SyntaxError
        Unchanged from :func:`ast.parse` when the code does not parse.
    """
    tree = ast.parse(code)
    base = os.path.realpath(os.fspath(cwd) if cwd is not None else os.getcwd())
    checker = _Checker(code, tree, base)
    checker.visit(tree)
    unique = {(f.line, f.col, f.rule, f.detail): f for f in checker.findings}
    return sorted(unique.values(), key=lambda f: (f.line, f.col, f.rule))


def format_findings(findings: Sequence[Finding], language: str = "en") -> str:
    """Return a report: one line per finding, then a line saying what to do next."""
    zh = language == "zh"
    if not findings:
        return "未发现问题，代码可以运行。" if zh else "No findings: the code may run."
    head = (
        f"生成的代码有 {len(findings)} 处违反安全策略，所以没有运行："
        if zh
        else f"The generated code breaks the safety policy in {len(findings)} place(s), "
        "so nothing was run:"
    )
    lines = [head, *("  " + f.message(language) for f in findings)]
    lines.append(
        "下一步：换一种说法重新提问；或者把代码复制到单元格中，自己读过确认后再运行。"
        if zh
        else "Next: ask again in other words, or copy the code into a cell, read it, "
        "and run it yourself if you trust it."
    )
    return "\n".join(lines)


# --------------------------------------------------------------------------------------
# The tables. Qualified names are canonical: ``posix``/``nt`` are spelled ``os``,
# ``io.open`` is ``builtins.open``, every pathlib class is ``pathlib.Path``.

_P, _W, _N, _D, _C, _S, _K = (
    "process", "file-write", "network", "dynamic-code", "native-code", "secrets", "kernel-exit"
)

#: Modules refused whole: importing them, or touching anything inside, is a finding.
_DENY_MODULES: dict[str, str] = {
    **dict.fromkeys(
        ["subprocess", "_posixsubprocess", "pty", "pexpect", "sh", "plumbum", "webbrowser",
         "IPython.utils.process", "multiprocessing.popen_fork", "multiprocessing.popen_spawn_posix",
         "multiprocessing.popen_forkserver", "multiprocessing.popen_spawn_win32"], _P),
    **dict.fromkeys(
        ["socket", "_socket", "ssl", "socketserver", "urllib.request", "urllib.robotparser",
         "urllib2", "urllib3", "http.client", "http.server", "requests", "httpx", "aiohttp",
         "ftplib", "smtplib", "telnetlib", "poplib", "imaplib", "nntplib", "xmlrpc",
         "websocket", "websockets", "paramiko", "asyncssh", "fabric", "pycurl", "grpc", "zmq",
         "openai", "anthropic", "boto3", "botocore", "huggingface_hub", "pip", "ensurepip",
         "logging.handlers"], _N),
    **dict.fromkeys(
        ["runpy", "code", "codeop", "marshal", "dill", "cloudpickle", "shelve", "jsonpickle",
         "importlib.util", "importlib.machinery", "importlib._bootstrap",
         "importlib._bootstrap_external", "zipimport", "pydoc", "logging.config", "pdb", "bdb"],
        _D),
    **dict.fromkeys(["ctypes", "_ctypes", "cffi", "numpy.ctypeslib"], _C),
}

#: Single names refused on any reference.
_DENY_NAMES: dict[str, str] = {
    **dict.fromkeys(
        ["os.system", "os.popen", "os.fork", "os.forkpty", "os.kill", "os.killpg", "os.startfile",
         "os.plock", "signal.signal", "signal.alarm", "signal.setitimer", "signal.raise_signal",
         "signal.pthread_kill", "signal.pidfd_send_signal", "signal.siginterrupt",
         "multiprocessing.Process", "multiprocessing.process.BaseProcess",
         "multiprocessing.context.Process", "multiprocessing.context.SpawnProcess",
         "multiprocessing.context.ForkProcess", "multiprocessing.context.ForkServerProcess",
         "asyncio.create_subprocess_exec", "asyncio.create_subprocess_shell",
         "asyncio.subprocess"], _P),
    **dict.fromkeys(
        ["asyncio.open_connection", "asyncio.start_server", "asyncio.open_unix_connection",
         "asyncio.start_unix_server", "seaborn.load_dataset", "nltk.download",
         "datasets.load_dataset", "logging.config.listen"], _N),
    **dict.fromkeys(
        ["builtins.eval", "builtins.exec", "builtins.compile", "builtins.globals()",
         "pickle.load", "pickle.loads", "pickle.Unpickler", "_pickle.load", "_pickle.loads",
         "_pickle.Unpickler", "joblib.load", "pandas.read_pickle", "sys.modules",
         "sys.meta_path", "sys.path_hooks", "sys.path_importer_cache", "sys._getframe",
         "sys.path.append", "sys.path.insert", "sys.path.extend", "site.addsitedir",
         "inspect.currentframe", "inspect.stack", "inspect.trace", "inspect.getouterframes",
         "inspect.getinnerframes", "gc.get_objects", "gc.get_referrers", "gc.get_referents",
         "pkgutil.resolve_name", "importlib.reload", "IPython.get_ipython",
         "IPython.core.getipython.get_ipython", "cProfile.run", "cProfile.runctx",
         "profile.run", "profile.runctx", "yaml.unsafe_load", "yaml.unsafe_load_all",
         "builtins.__builtins__"], _D),
    **dict.fromkeys(["sys.exit", "os._exit", "os.abort", "_thread.interrupt_main"], _K),
}

#: Prefixes of qualified names refused on any reference.
_DENY_PREFIXES: tuple[tuple[str, str], ...] = (
    ("os.exec", _P), ("os.spawn", _P), ("os.posix_spawn", _P),
    ("sklearn.datasets.fetch_", _N), ("faulthandler._", _K),
)

#: Refused only when called (a reference alone, e.g. in ``isinstance``, is fine).
_DENY_CALLS: dict[str, str] = {
    "types.FunctionType": _D, "types.CodeType": _D, "types.LambdaType": _D,
    "builtins.exit": _K, "builtins.quit": _K,
}

#: Attribute names refused on any object: they only exist on event loops.
_DENY_ATTRS: dict[str, str] = {
    "subprocess_exec": _P, "subprocess_shell": _P,
    "create_connection": _N, "create_server": _N, "create_datagram_endpoint": _N,
    "create_unix_connection": _N, "create_unix_server": _N, "sock_connect": _N,
}

#: Attributes that open the interpreter's internals (escape routes to builtins and modules).
_DUNDERS = frozenset(
    ["__builtins__", "__dict__", "__subclasses__", "__globals__", "__code__", "__closure__",
     "__bases__", "__base__", "__mro__", "__getattribute__", "__reduce__", "__reduce_ex__",
     "__loader__", "__spec__", "__import__", "__self__", "__func__", "__kwdefaults__",
     "__defaults__", "f_globals", "f_locals", "f_builtins", "f_back", "f_code", "tb_frame",
     "gi_frame", "gi_code", "cr_frame", "cr_code", "ag_frame", "ag_code"]
)

#: Modules whose objects reach refused names; using one as a plain value hides the call.
_SENSITIVE_MODULES = frozenset(
    ["os", "sys", "builtins", "shutil", "signal", "importlib", "codecs", "pickle", "_pickle",
     "asyncio", "multiprocessing", "gc", "inspect", "types", "pathlib", "tarfile", "zipfile",
     "_thread"]
)

#: Modules that other packages import and so expose as attributes (``pandas.io.common.os``).
_REEXPORTED = frozenset(["os", "sys", "subprocess", "shutil", "builtins", "socket", "ctypes",
                         "pickle", "importlib", "multiprocessing", "posix"])
_CANONICAL_MODULES = {"posix": "os", "nt": "os", "io": "builtins", "_io": "builtins",
                      "__builtin__": "builtins"}
_CANONICAL_NAMES = {
    "builtins.FileIO": "builtins.open", "pathlib.PosixPath": "pathlib.Path",
    "pathlib.WindowsPath": "pathlib.Path", "pathlib.PurePath": "pathlib.Path",
    "pathlib.PurePosixPath": "pathlib.Path", "pathlib.PureWindowsPath": "pathlib.Path",
}

#: Builtins the policy needs to see through a bare name (``eval``, ``open``...).
_BUILTINS = frozenset(
    ["eval", "exec", "compile", "__import__", "open", "getattr", "setattr", "delattr",
     "hasattr", "globals", "locals", "vars", "exit", "quit", "SystemExit", "KeyboardInterrupt",
     "__builtins__"]
)
#: Builtins that a binding of the same name in the snippet shadows (a variable ``exit``).
_SHADOWABLE = frozenset(["exit", "quit"])

_IMPORTERS = frozenset(["builtins.__import__", "importlib.import_module", "importlib.__import__"])
_ATTR_FUNCS = frozenset(["builtins.getattr", "builtins.setattr", "builtins.delattr",
                         "builtins.hasattr"])
_ENV = ("os.environ", "os.environb")
_ENV_GETTERS = frozenset(["os.getenv", "os.getenvb", "os.environ.get", "os.environ.pop",
                          "os.environ.setdefault", "os.environb.get", "os.environb.pop",
                          "os.environb.setdefault"])
_ENV_WRITERS = frozenset(["os.environ.update", "os.putenv", "os.unsetenv"])
_SECRET_NAME = re.compile(r"KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL", re.IGNORECASE)
_URL = re.compile(r"^\s*(https?|ftps?|s3|gs|gcs|az|abfs|hdfs|sftp|ssh|ws|wss)://", re.I)

#: File extensions a write must not create even inside the working directory: importable
#: or runnable code (written, then imported) and the user's own notebooks.
_CODE_EXTS = (".py", ".pyw", ".pyc", ".pyo", ".pyd", ".so", ".dll", ".dylib", ".pth", ".ipy",
              ".ipynb", ".sh", ".bash", ".zsh", ".bat", ".cmd", ".ps1")


@dataclass(frozen=True)
class _Write:
    """Where a writing function takes its target path(s) and its mode."""

    targets: tuple[tuple[int, str], ...]
    mode: tuple[int, str] | None = None  # None: it always writes
    default: str = "r"  # the mode when none is given
    flags: bool = False  # os.open: the mode is an int of O_* flags


def _w(*targets: tuple[int, str], mode: tuple[int, str] | None = None,
       default: str = "r") -> _Write:
    return _Write(targets, mode, default)


_FIRST = _w((0, "path"))
_OPEN = _w((0, "file"), mode=(1, "mode"))
_WRITES: dict[str, _Write] = {
    "builtins.open": _OPEN, "codecs.open": _w((0, "filename"), mode=(1, "mode")),
    "gzip.open": _w((0, "filename"), mode=(1, "mode")), "bz2.open": _OPEN,
    "lzma.open": _OPEN, "gzip.GzipFile": _w((0, "filename"), mode=(1, "mode")),
    "tarfile.open": _w((0, "name"), mode=(1, "mode")),
    "tarfile.TarFile": _w((0, "name"), mode=(1, "mode")),
    "zipfile.ZipFile": _w((0, "file"), mode=(1, "mode")),
    "os.open": _Write(((0, "path"),), (1, "flags"), flags=True),
    "shutil.rmtree": _FIRST, "shutil.move": _w((0, "src"), (1, "dst")),
    "shutil.copy": _w((1, "dst")), "shutil.copy2": _w((1, "dst")),
    "shutil.copyfile": _w((1, "dst")), "shutil.copytree": _w((1, "dst")),
    "shutil.copymode": _w((1, "dst")), "shutil.copystat": _w((1, "dst")),
    "shutil.chown": _FIRST,
    "shutil.make_archive": _w((0, "base_name")),
    "shutil.unpack_archive": _w((0, "filename"), (1, "extract_dir")),
    "os.remove": _FIRST, "os.unlink": _FIRST, "os.rmdir": _FIRST, "os.removedirs": _w((0, "name")),
    "os.rename": _w((0, "src"), (1, "dst")), "os.renames": _w((0, "old"), (1, "new")),
    "os.replace": _w((0, "src"), (1, "dst")), "os.truncate": _FIRST, "os.chmod": _FIRST,
    "os.lchmod": _FIRST, "os.chown": _FIRST, "os.lchown": _FIRST, "os.chflags": _FIRST,
    "os.link": _w((0, "src"), (1, "dst")), "os.symlink": _w((0, "src"), (1, "dst")),
    "os.mkdir": _FIRST, "os.makedirs": _w((0, "name")), "os.mkfifo": _FIRST,
    "os.mknod": _FIRST, "os.utime": _FIRST, "os.chdir": _FIRST, "os.chroot": _FIRST,
    "os.fchdir": _w((0, "fd")), "os.setxattr": _FIRST, "os.removexattr": _FIRST,
    "numpy.save": _w((0, "file")), "numpy.savez": _w((0, "file")),
    "numpy.savez_compressed": _w((0, "file")), "numpy.savetxt": _w((0, "fname")),
    "numpy.memmap": _w((0, "filename"), mode=(2, "mode"), default="r+"),
    "numpy.lib.format.open_memmap": _w((0, "filename"), mode=(1, "mode"), default="r+"),
    "joblib.dump": _w((1, "filename")), "torch.save": _w((1, "f")),
    "pandas.ExcelWriter": _w((0, "path")),
    "pandas.HDFStore": _w((0, "path"), mode=(1, "mode"), default="a"),
    "sqlite3.connect": _w((0, "database")), "matplotlib.pyplot.imsave": _w((0, "fname")),
}
#: Methods that write to the path in their first argument, whatever the object.
_WRITE_METHODS = frozenset(
    ["tofile", "savefig", "to_csv", "to_excel", "to_json", "to_parquet", "to_pickle", "to_hdf",
     "to_feather", "to_stata", "to_html", "to_latex", "to_markdown", "to_xml", "to_orc",
     "to_string", "to_netcdf", "to_zarr", "write_html", "write_image"]
)
#: The keywords those methods take their target by.
_TARGET_KWARGS = frozenset(["path", "path_or_buf", "path_or_buffer", "excel_writer", "buf",
                            "fname", "file", "filename", "fid", "store"])
#: pathlib methods that write or delete the path they are called on.
_PATH_SELF_WRITES = frozenset(["write_text", "write_bytes", "unlink", "rmdir", "touch", "mkdir",
                               "symlink_to", "hardlink_to"])
#: pathlib methods that write only when the object is known to be a path.
_PATH_KNOWN_WRITES = frozenset(["rename", "replace", "chmod", "lchmod", "open"])
_PATH_CTORS = frozenset(["pathlib.Path"])
_READ_FLAGS = frozenset(["O_RDONLY", "O_CLOEXEC", "O_BINARY", "O_NOFOLLOW", "O_DIRECTORY",
                         "O_NONBLOCK", "O_NOCTTY", "O_PATH", "O_NOATIME", "O_NOINHERIT"])


@lru_cache(maxsize=4096)
def _canonical(qn: str) -> str:
    parts = qn.split(".")
    for i in range(len(parts) - 1, 0, -1):  # pandas.io.common.os.system is os.system
        if parts[i] in _REEXPORTED:
            qn = ".".join(parts[i:])
            break
    head, _, rest = qn.partition(".")
    head = _CANONICAL_MODULES.get(head, head)
    qn = f"{head}.{rest}" if rest else head
    return _CANONICAL_NAMES.get(qn, qn)


@lru_cache(maxsize=4096)
def _deny(qn: str) -> str | None:
    """Return the rule that refuses any reference to ``qn``, or None."""
    if ".".join(qn.split(".", 2)[:2]) in _ENV:
        return _S
    parts = qn.split(".")
    for i in range(len(parts), 0, -1):  # os.system.__call__ is os.system
        prefix = ".".join(parts[:i])
        rule = _DENY_NAMES.get(prefix) or _DENY_MODULES.get(prefix)
        if rule:
            return rule
    if qn.startswith("builtins.globals()."):
        return _D
    for prefix, rule in _DENY_PREFIXES:
        if qn.startswith(prefix):
            return rule
    return None


def _path_problem(path: str, base: str) -> tuple[str, str] | None:
    """Why a literal write target is refused, as (English, Chinese), or None when allowed."""
    if not path or "\x00" in path:
        return (f"{path!r} is not a usable path", f"{path!r} 不是可用的路径")
    if path.startswith("~"):
        return (f"{path!r} points into the home directory", f"{path!r} 指向用户主目录")
    if os.path.isabs(path) or path.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", path):
        return (f"{path!r} is an absolute path", f"{path!r} 是绝对路径")
    if ".." in re.split(r"[\\/]", path):
        return (f"{path!r} climbs out with '..'", f"{path!r} 用 '..' 跳出了工作目录")
    if path.lower().rstrip("/\\").endswith(_CODE_EXTS):
        return (f"{path!r} would plant code Python could import or run, or overwrite "
                     "a notebook", f"{path!r} 会写入可被导入或执行的代码，或覆盖笔记本")
    full = os.path.realpath(os.path.join(base, path))
    if full == base:
        return (f"{path!r} is the working directory itself", f"{path!r} 就是工作目录本身")
    if not full.startswith(base.rstrip(os.sep) + os.sep):
        return (f"{path!r} resolves outside the working directory (symbolic link)",
                     f"{path!r} 经符号链接解析到工作目录之外")
    return None


_COMPUTED = (
    "the target is computed at run time, so it cannot be checked; only a literal relative "
    "path inside the working directory is allowed",
    "目标路径在运行时才算出，无法检查；只允许工作目录内的字面相对路径",
)


def _const_str(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant):
        if isinstance(node.value, str):
            return node.value
        if isinstance(node.value, bytes):
            return node.value.decode("utf-8", "replace")
    return None


def _is_built_string(node: ast.AST) -> bool:
    """Whether an expression builds a string at run time (``"sy" + "stem"``, f-strings...)."""
    if isinstance(node, (ast.BinOp, ast.JoinedStr, ast.Call, ast.IfExp, ast.BoolOp)):
        return True
    return isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice)


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

    # -- pass 2: calls ----------------------------------------------------------------

    def visit_Call(self, node: ast.Call) -> None:
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
