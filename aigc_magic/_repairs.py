"""The repair loop's one step: the planner fixes the plan's code for a problem, or says it
cannot.

:class:`Repairs` holds how many repairs one ask has left and records each in the result
(``attempts`` and ``notices``); :class:`Herald` announces a repair on the stream only once
the planner starts answering, so a planner that cannot repair code leaves the stream
untouched. The engine (:mod:`aigc_magic.engine`) decides when to ask for one.
"""

from __future__ import annotations

from ._notices import repair_notice
from .errors import LLMSyntaxError
from .llm import Planner, Stream
from .result import AskResult

__all__ = ["Herald", "Repairs"]


class Repairs:
    """The planner's repairs of one ask: at most ``left`` more, each recorded in the result
    (``attempts`` and ``notices``) and announced on the stream."""

    def __init__(
        self, planner: Planner, result: AskResult, left: int, stream: Stream | None
    ) -> None:
        self.planner = planner
        self.result = result
        self.left = left
        self.stream = stream
        self.problem: str | None = None  # the compiler's complaint about the repaired code

    def attempt(self, problem: str) -> bool:
        """Have the planner fix ``result.plan`` for ``problem``; False when no repair is left
        or the planner cannot repair code (it is not asked again)."""
        if self.left <= 0:
            return False
        self.left -= 1
        result = self.result
        attempt = len(result.attempts) + 1
        line = repair_notice(attempt, problem, result.language)
        herald = Herald(self.stream, f"\n\n— {line}\n\n")
        self.problem = None
        try:
            repaired = self.planner.repair(
                result.plan,
                problem,
                attempt=attempt,
                stream=herald if self.stream is not None else None,
            )
        except LLMSyntaxError as exc:
            repaired, self.problem = exc.plan, exc.problem
        except BaseException:
            herald.flush()
            raise
        if repaired is None:
            self.left = 0
            return False
        herald.flush()
        result.attempts.append((result.plan.code, problem))
        result.notices.append(line)
        result.plan = repaired
        return True


class Herald:
    """A stream that sends ``line`` before the first piece of a repair's reply (or when the
    repair is done), so a planner that cannot repair code leaves the stream untouched."""

    def __init__(self, stream: Stream | None, line: str) -> None:
        self._stream = stream
        self._line = line

    def __call__(self, text: str) -> None:
        self.flush()
        if self._stream is not None:
            self._stream(text)

    def flush(self) -> None:
        """Send the line, once."""
        if self._line and self._stream is not None:
            self._stream(self._line)
        self._line = ""
