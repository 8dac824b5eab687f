"""``%ask`` and ``%%ask``: the thin front door. Parse the line, call :func:`ask`, display.

Prose is never shell-split (an apostrophe in "what's" must not break it) and never expanded
by IPython (``$x`` and braces stay as typed): leading options are peeled off the line, and
``{name}`` is replaced once, by this module, with the value of a short scalar ``name`` from
the user's namespace.
"""

from __future__ import annotations

import re
from typing import Any

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_cell_magic, magics_class, no_var_expand
from IPython.core.magic_arguments import argument, magic_arguments, parse_argstring
from traitlets import Enum

from .engine import PLANNER_CHOICES, SAFETY_MODES, AskResult, ask, run_plan
from .errors import PlanningError, UnsafeCodeError
from .llm.plan import TaskPlan

# option -> number of values it takes; only these are peeled off the front of the line
_OPTIONS = {"-o": 1, "--output": 1, "--no-run": 0, "-y": 0, "--yes": 0,
            "--planner": 1, "--safety": 1}
_SUBCOMMANDS = ("workers",)
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


@magics_class
class AskMagics(Magics):
    """Magics that turn prose into parallel computations."""

    planner = Enum(
        list(PLANNER_CHOICES), default_value="auto",
        help="Which planner turns prose into code: 'auto' (the embedded offline planner "
             "when no LLM is configured) or 'offline'.",
    ).tag(config=True)
    safety = Enum(
        list(SAFETY_MODES), default_value="ask",
        help="Code that breaks the safety policy: 'strict' never runs it, 'ask' runs it only "
             "after consent (%ask run or --yes), 'off' runs it anyway.",
    ).tag(config=True)

    def __init__(self, shell: Any = None, **kwargs: Any) -> None:
        super().__init__(shell, **kwargs)
        self._pending: TaskPlan | None = None

    @no_var_expand
    @magic_arguments()
    @argument("-o", "--output", metavar="NAME",
              help="Also store the AskResult in the variable NAME.")
    @argument("--no-run", action="store_true",
              help="Plan and check only; show the code without running it.")
    @argument("-y", "--yes", action="store_true",
              help="Consent to run code that the safety policy flagged.")
    @argument("--planner", choices=PLANNER_CHOICES,
              help="Override AskMagics.planner for this ask.")
    @argument("--safety", choices=SAFETY_MODES,
              help="Override AskMagics.safety for this ask.")
    @argument("prose", nargs="*",
              help="The task in words (line form); in the cell form the cell holds it. "
                   "Subcommands: `%%ask run` runs the plan awaiting consent; "
                   "`%%ask workers [connect ADDRESS | local N | disconnect]` manages workers.")
    @line_cell_magic
    def ask(self, line: str, cell: str | None = None) -> Any:
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
        head, _, rest = stripped.partition(" ")
        if cell is None and head in _SUBCOMMANDS:
            from .grid._magic import workers_command

            return workers_command(rest)

        options, prose = _split_options(line)
        args = parse_argstring(self.ask, " ".join(options))
        if cell is not None:
            prose = f"{prose}\n{cell}".strip()
        if not prose.strip():
            raise UsageError("Type a task after %ask, e.g. `%ask how many primes below 1e6`, "
                             "or put it in the cell under %%ask.")
        prose = _interpolate(prose, self.shell.user_ns)
        try:
            result = ask(prose, namespace=self.shell.user_ns, run=not args.no_run,
                         planner=args.planner or self.planner,
                         safety=args.safety or self.safety, yes=args.yes)
        except PlanningError as exc:
            raise UsageError(str(exc)) from None
        except UnsafeCodeError as exc:
            self._pending = exc.plan
            from .ui.consent import ConsentRequest

            return ConsentRequest(exc)
        if args.output:
            self.shell.user_ns[args.output] = result
        return result

    def _run_pending(self) -> AskResult:
        if self._pending is None:
            raise UsageError("No plan is waiting for consent. `%ask run` runs the code that "
                             "the safety policy held back; ask a task first.")
        plan, self._pending = self._pending, None
        return run_plan(plan, namespace=self.shell.user_ns)


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


def _interpolate(prose: str, namespace: dict[str, Any]) -> str:
    """Replace ``{name}`` with the value of a short scalar ``name`` from the namespace, once."""

    def value_of(match: re.Match[str]) -> str:
        value = namespace.get(match.group(1), _interpolate)
        if isinstance(value, (int, float, str)) and not isinstance(value, bool):
            text = str(value)
            if len(text) <= 200:
                return text
        return match.group(0)

    return _PLACEHOLDER.sub(value_of, prose)
