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
                   whose name is computed, any wholesale read of ``os.environ``; a path to a
                   credential store (``~/.ssh``, ``id_rsa``, ``~/.aws``, ``~/.netrc``,
                   ``~/.docker/config.json``, ``~/.kube/config``, ``.env`` and ``.env.*``,
                   ``/etc/shadow``, keyrings and Keychains, ``~/.gnupg``, browser profiles
                   and their password and cookie files), however it is built; the
                   ``keyring``, ``secretstorage``, ``win32cred``, ``netrc`` and ``dotenv``
                   modules
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

A path to a credential store is judged where it is built, not where it is opened, so
``open``, ``read_text``, ``shutil.copy``, ``glob`` and ``pd.read_csv`` are all covered: the
literal parts of the outermost path expression (strings, f-strings, ``+`` and ``/``,
``Path(...)``, ``os.path.join``, ``joinpath``, ``"/".join([...])``, ``expanduser``,
``Path.home()`` as ``~``, a name bound once to such an expression) are joined, a computed
part standing for anything, and matched as whole path components against a table in
``_rules.py``. A docstring or a bare string statement is not a path.

Known gaps, on purpose or for now:

- a credential path whose telling parts are all computed (``os.walk(Path.home())`` that then
  picks ``id_rsa`` by a computed name, ``chr()`` games, a name read from a file) passes, and
  so do ``Cookies`` and ``logins.json`` outside a browser profile folder and ``Login Data``
  outside any folder (a ``Cookies`` or ``Login Data`` column is data);

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
from collections.abc import Sequence

from ._checker import Checker
from ._lookup import Finding
from ._rules import RULES

__all__ = ["RULES", "Finding", "check", "format_findings"]


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
    checker = Checker(code, tree, base)
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
