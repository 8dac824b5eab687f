"""``%ask`` and ``%%ask``: the thin front door. Parse the line, call :func:`ask`, display.

Prose is never shell-split (an apostrophe in "what's" must not break it) and never expanded
by IPython (``$x`` and braces stay as typed): leading options are peeled off the line, and
``{name}`` is replaced once, by this module, with the value of a short scalar ``name`` from
the user's namespace.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_cell_magic, magics_class, no_var_expand
from IPython.core.magic_arguments import argument, magic_arguments, parse_argstring
from traitlets import Bool, Enum, Float, Int, Unicode

from ._inputs import PLANNER_CHOICES, SAFETY_MODES
from .engine import ask
from .errors import PlanningError, SettingsError, UnsafeCodeError
from .llm.settings import SETTING_NAMES
from .result import AskResult
from .ui.consent import ConsentRequest, HeldPlans

if TYPE_CHECKING:
    from IPython.core.interactiveshell import ExecutionResult, InteractiveShell
    from IPython.lib.pretty import PrettyPrinter

__all__ = ["AskMagics", "interpolate"]

# option -> number of values it takes; only these are peeled off the front of the line
_OPTIONS = {
    "-o": 1,
    "--output": 1,
    "--no-run": 0,
    "-y": 0,
    "--yes": 0,
    "--planner": 1,
    "--safety": 1,
    "--model": 1,
}
_SUBCOMMANDS = ("workers", "scheduler")
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


@magics_class
class AskMagics(Magics):
    """Magics that turn prose into parallel computations."""

    # LLM settings default to None, meaning "not set here": the environment, then the
    # built-in default, decide (see aigc_magic.llm.settings and `%ask config`).
    planner = Enum(
        list(PLANNER_CHOICES),
        default_value=None,
        allow_none=True,
        help="Which planner turns prose into code: 'auto' (default: an LLM when one is "
        "configured, else the embedded offline planner), 'offline', or 'llm'.",
    ).tag(config=True)
    model = Unicode(
        None,
        allow_none=True,
        help="The chat model's name at the endpoint (default: $AIGC_MAGIC_MODEL, else "
        "'gpt-4o-mini').",
    ).tag(config=True)
    base_url = Unicode(
        None,
        allow_none=True,
        help="An OpenAI-compatible endpoint, e.g. 'http://localhost:11434/v1' for Ollama "
        "(default: $OPENAI_BASE_URL, else OpenAI's). The key comes from $OPENAI_API_KEY.",
    ).tag(config=True)
    temperature = Float(
        None, allow_none=True, help="Sampling temperature for planning (default 0.2)."
    ).tag(config=True)
    max_repairs = Int(
        None,
        allow_none=True,
        help="How often the LLM may fix code that fails to compile, breaks the safety "
        "policy or raises (default 2).",
    ).tag(config=True)
    timeout = Float(
        None,
        allow_none=True,
        help="Seconds to wait for the LLM between pieces of its reply (default 60).",
    ).tag(config=True)
    json_mode = Bool(
        None,
        allow_none=True,
        help="Ask for a JSON reply instead of a fenced code block (default "
        "False; not every server supports it).",
    ).tag(config=True)
    run_timeout = Float(
        None,
        allow_none=True,
        help="Seconds a task's code may run before it is stopped with its workers "
        "(default: no limit; the kernel's interrupt always works).",
    ).tag(config=True)
    max_retries = Int(
        None, allow_none=True, help="Retries on 408/409/429/5xx, with backoff (default 2)."
    ).tag(config=True)
    progress = Bool(
        True,
        help="Show live progress (a widget in notebooks, a text bar on stderr elsewhere) for "
        "every Parallel(backend='aigc') call, not only for %%ask.",
    ).tag(config=True)
    safety = Enum(
        list(SAFETY_MODES),
        default_value="ask",
        help="Code that breaks the safety policy: 'strict' never runs it, 'ask' runs it only "
        "after consent (%ask run or --yes), 'off' runs it anyway.",
    ).tag(config=True)

    def __init__(self, shell: InteractiveShell | None = None, **kwargs: Any) -> None:
        super().__init__(shell, **kwargs)
        self._held = HeldPlans(capacity=1)  # the plan awaiting consent (%ask run)
        self._failed_cell: tuple[str, BaseException] | None = None  # for %ask fix
        if shell is not None:
            shell.events.register("post_run_cell", self._remember_failure)

    def _remember_failure(self, result: ExecutionResult) -> None:
        """post_run_cell: keep the newest cell that raised (not an ask's own failure)."""
        error = getattr(result, "error_in_exec", None)
        source = getattr(getattr(result, "info", None), "raw_cell", None) or ""
        if error is not None and source.strip() and not source.lstrip().startswith("%"):
            self._failed_cell = (source, error)

    @no_var_expand
    @magic_arguments()
    @argument(
        "-o", "--output", metavar="NAME", help="Also store the AskResult in the variable NAME."
    )
    @argument(
        "--no-run",
        action="store_true",
        help="Plan and check only; show the code without running it.",
    )
    @argument(
        "-y",
        "--yes",
        action="store_true",
        help="Consent to run code that the safety policy flagged.",
    )
    @argument("--planner", choices=PLANNER_CHOICES, help="Override AskMagics.planner for this ask.")
    @argument("--safety", choices=SAFETY_MODES, help="Override AskMagics.safety for this ask.")
    @argument("--model", help="Override AskMagics.model for this ask.")
    @argument(
        "prose",
        nargs="*",
        help="The task in words (line form); in the cell form the cell holds it. "
        "Subcommands: `%%ask run` runs the plan awaiting consent; "
        "`%%ask config` shows the LLM settings and where each came from; "
        "`%%ask workers [connect ADDRESS | local N | disconnect]` manages workers; "
        "`%%ask scheduler [--reset]` shows what the scheduler has learned.",
    )
    @line_cell_magic
    def ask(self, line: str, cell: str | None = None) -> object:
        """Plan, run and explain a compute task written in prose (English or Chinese).

        Examples::

            %%ask
            计算10000以内的所有质数

            r = %ask how many primes below 1e6
            %ask -o est estimate pi with two million samples
        """
        stripped = line.strip()
        if cell is None and stripped == "run":
            return self._run_pending()
        if cell is None and stripped == "fix":
            return self._fix()
        if cell is None and stripped == "config":
            from .llm.settings import describe_settings, resolve_settings, with_local_server
            from .llm.usage import kernel_total

            config = self.engine_options()["config"]
            shown = describe_settings(*with_local_server(*resolve_settings(None, config)))
            return _Text(f"{shown}\nLLM use in this kernel: {kernel_total().describe()}.")
        head, _, rest = stripped.partition(" ")
        if cell is None and head == "workers":
            from .grid._magic import workers_command

            return workers_command(rest)
        if cell is None and head == "scheduler":
            from .grid._magic import scheduler_command

            return scheduler_command(rest)

        options, prose = _split_options(line)
        args = parse_argstring(self.ask, " ".join(options))
        if cell is not None:
            prose = f"{prose}\n{cell}".strip()
        if not prose.strip():
            raise UsageError(
                "Type a task after %ask, e.g. `%ask how many primes below 1e6`, "
                "or put it in the cell under %%ask."
            )
        prose = interpolate(prose, self._user_ns)
        from .ui.stream import StreamWriter

        configured = self.engine_options()
        if args.safety:
            configured["safety"] = args.safety
        stream = StreamWriter(self.shell)
        try:
            result = ask(
                prose,
                namespace=self._user_ns,
                run=not args.no_run,
                yes=args.yes,
                stream=stream,
                planner=args.planner,
                model=args.model,
                **configured,
            )
        except (PlanningError, SettingsError) as exc:
            raise UsageError(str(exc)) from None
        except UnsafeCodeError as exc:
            self._held.hold(exc)
            return ConsentRequest(exc, run=self._run_pending)
        finally:
            stream.close()
        if args.output:
            self._user_ns[args.output] = result
        return result

    def _fix(self) -> AskResult:
        """``%ask fix``: the LLM repairs the newest failed cell; the fix runs like an ask and
        is put in a new cell below (``set_next_input``), for the user to keep or not."""
        if self._failed_cell is None:
            raise UsageError(
                "No cell has failed since %load_ext aigc_magic. `%ask fix` "
                "repairs the newest cell that raised: run it, then %ask fix."
            )
        from .engine import fix
        from .runner import trimmed_traceback
        from .ui.stream import StreamWriter

        source, error = self._failed_cell
        stream = StreamWriter(self.shell)
        try:
            result = fix(
                source,
                trimmed_traceback(error),
                namespace=self._user_ns,
                stream=stream,
                **self.engine_options(),
            )
        except (PlanningError, SettingsError) as exc:
            raise UsageError(str(exc)) from None
        finally:
            stream.close()
        self._failed_cell = None
        if self.shell is not None:
            self.shell.set_next_input(result.code, replace=False)
        return result

    def _run_pending(self) -> AskResult:
        """``%ask run``: run the plan the safety policy held back, once."""
        held = self._held.take()
        if held is None:
            raise UsageError(
                "No plan is waiting for consent. `%ask run` runs the code that "
                "the safety policy held back; ask a task first."
            )
        return held.run(self._user_ns, self.run_timeout)

    @property
    def _user_ns(self) -> dict[str, Any]:
        if self.shell is None:
            raise UsageError("%ask needs an IPython shell: %load_ext aigc_magic in one.")
        user_ns: dict[str, Any] = self.shell.user_ns
        return user_ns

    def engine_options(self) -> dict[str, Any]:
        """What :func:`~aigc_magic.engine.ask` takes from these traitlets: the LLM settings
        set with %config (None means not set), the safety mode and the run timeout. The
        magic and the sidebar chat both pass exactly these, so they behave alike."""
        return {
            "config": {name: getattr(self, name) for name in SETTING_NAMES},
            "safety": self.safety,
            "run_timeout": self.run_timeout,
        }


class _Text(str):
    """Text that displays without quotes (``%ask config``)."""

    def _repr_pretty_(self, p: PrettyPrinter, cycle: bool) -> None:
        p.text(str(self))


def _split_options(line: str) -> tuple[list[str], str]:
    """Peel known options off the front of ``line``; return them and the prose after them."""
    options: list[str] = []
    rest = line.lstrip()
    while rest.startswith("-"):
        token, _, after = rest.partition(" ")
        if token not in _OPTIONS:
            break
        options.append(token)
        rest = after.lstrip()
        for _ in range(_OPTIONS[token]):
            value, _, after = rest.partition(" ")
            if not value:
                raise UsageError(f"{token} needs a value, e.g. `%ask {token} NAME ...`.")
            options.append(value)
            rest = after.lstrip()
    return options, rest.strip()


def interpolate(prose: str, namespace: dict[str, Any]) -> str:
    """Replace ``{name}`` with the value of a short scalar ``name`` from the namespace, once."""

    def value_of(match: re.Match[str]) -> str:
        value = namespace.get(match.group(1), interpolate)
        if isinstance(value, (int, float, str)) and not isinstance(value, bool):
            text = str(value)
            if len(text) <= 200:
                return text
        return match.group(0)

    return _PLACEHOLDER.sub(value_of, prose)
