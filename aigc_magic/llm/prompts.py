"""What aigc-magic says to an LLM, and how it reads the reply.

Three conversations:

- **plan**: :data:`SYSTEM_PROMPT` (the task contract) and the user's prose, with the names and
  types (never the values) of the user's variables that the prose mentions, of what the
  cells it refers to made (``In[3]``, ``Out[5]``, "the last cell": :mod:`.context`), and the
  previous turn for follow-ups ("now do it for 1e7"). See :func:`build_plan_messages`.
- **repair**: the same conversation, the code that failed, and the trimmed traceback or the
  safety findings with "fix the code". See :func:`build_repair_messages`.
- **answer**: a summary of the result (type, size, trimmed repr, timings, the scheduler's
  choice) turned into one to three sentences in the prose's language. See
  :func:`build_answer_messages`.

:func:`extract_code` takes the code out of a reply. Nothing here does I/O.
"""

from __future__ import annotations

import ast
import json
import re
import reprlib
from collections.abc import Mapping
from typing import Any

from .context import cell_references, describe_value
from .plan import TaskPlan

__all__ = [
    "ANSWER_SYSTEM_PROMPT",
    "JSON_INSTRUCTIONS",
    "SYSTEM_PROMPT",
    "Message",
    "build_answer_messages",
    "build_plan_messages",
    "build_repair_messages",
    "explanation_of",
    "extract_code",
    "extract_json_reply",
    "mentioned_variables",
    "repair_message",
    "summarize_result",
]

Message = dict[str, str]

SYSTEM_PROMPT = """\
You turn a request typed in a Jupyter notebook (English or Chinese) into Python code that \
computes the answer. The code runs in the user's kernel, in the user's namespace.

Rules:
1. Leave the final answer in a variable named `result`.
2. Do the heavy work in parallel with joblib on aigc-magic's grid:
   `from joblib import Parallel, delayed`, `import aigc_magic` (importing it registers the \
"aigc" backend), then `Parallel(n_jobs=-1, backend="aigc")(delayed(f)(chunk) for chunk in \
chunks)`.
3. Chunk cheap work: split the input into a few tasks per core \
(e.g. `joblib.cpu_count() * 4` slices), never one task per tiny item. Combine the \
per-chunk results afterwards. A task that takes well under a second may run directly.
4. Write complete code: every import it needs, every helper function defined at top level.
5. The user's variables listed below already exist: use them by name, do not redefine or \
modify them in place.
6. Forbidden: printing or logging secrets, reading environment variables (`os.environ`, \
`os.getenv`), network access, subprocesses or shell commands, writing or deleting files, \
`eval`/`exec`, `input()`.
7. Answer with one sentence saying what the code computes, in the language of the \
request, then exactly one fenced ```python code block. Nothing after the block.

Example, for "sum of the squares of the primes below 1,000,000":
The code sums the squares of all primes below one million, checking 32 ranges in parallel.
```python
import joblib
import numpy as np
from joblib import Parallel, delayed

import aigc_magic  # registers the "aigc" joblib backend


def sum_prime_squares(lo, hi):
    total = 0
    for n in range(max(lo, 2), hi):
        if all(n % d for d in range(2, int(n ** 0.5) + 1)):
            total += n * n
    return total


edges = np.linspace(0, 1_000_000, joblib.cpu_count() * 4 + 1, dtype=int)
parts = Parallel(n_jobs=-1, backend="aigc")(
    delayed(sum_prime_squares)(int(lo), int(hi)) for lo, hi in zip(edges[:-1], edges[1:])
)
result = sum(parts)
```"""

JSON_INSTRUCTIONS = """\
Reply format (overrides rule 7): answer with a JSON object and nothing else: \
{"explanation": "<one sentence, in the language of the request>", "code": "<the complete \
Python code as a string>"}."""

ANSWER_SYSTEM_PROMPT = """\
You report the result of a computation to the person who asked for it in a notebook. \
Write one to three plain sentences that answer their request directly with the numbers in \
the result summary; mention how long it took and how it ran only if that is useful. Never \
invent numbers that are not in the summary; if the result looks wrong or empty, say so. No \
code, no markdown headings, no preamble."""

_LANGUAGE_NAMES = {"en": "English", "zh": "Chinese (简体中文)"}

#: Names never described to the LLM: IPython's own and the usual noise.
_SKIP_NAMES = frozenset({"In", "Out", "get_ipython", "exit", "quit", "result"})
_MAX_VARIABLES = 20
_MAX_PROBLEM_CHARS = 4000
_MAX_REPR_CHARS = 600

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_FENCE = re.compile(r"```[ \t]*([A-Za-z0-9_+-]*)[^\n]*\n(.*?)(?:```|\Z)", re.DOTALL)

_repr = reprlib.Repr()
_repr.maxstring = 200
_repr.maxother = 200
_repr.maxlist = _repr.maxtuple = _repr.maxset = _repr.maxdict = 12
_repr.maxlevel = 3


# -- the user's variables -----------------------------------------------------------------


def mentioned_variables(
    prose: str, namespace: Mapping[str, Any] | None, limit: int = _MAX_VARIABLES
) -> dict[str, str]:
    """Return ``{name: description}`` for the namespace's variables named in the prose.

    A name counts when it appears in the prose as a whole identifier (``data`` in
    "mean of data" or in "计算data的均值"); private names (``_x``) and IPython's own are
    skipped. Descriptions come from :func:`describe_value`: types and shapes, no values.
    """
    if not namespace:
        return {}
    found: dict[str, str] = {}
    for word in dict.fromkeys(_IDENTIFIER.findall(prose)):
        if word.startswith("_") or word in _SKIP_NAMES or word not in namespace:
            continue
        found[word] = describe_value(namespace[word])
        if len(found) >= limit:
            break
    return found


# -- results ------------------------------------------------------------------------------


def summarize_result(value: Any, *, limit: int = _MAX_REPR_CHARS) -> str:
    """One short paragraph about a result: its type and size, and a trimmed repr.

    Examples
    --------
    >>> summarize_result(list(range(100)))
    'type: list of 100 items (items: int); repr: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, ...]'
    """
    try:
        text = _repr.repr(value)
    except Exception as exc:  # a broken __repr__ must not break the answer
        text = f"<repr failed: {type(exc).__name__}>"
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"type: {describe_value(value)}; repr: {text}"


# -- conversations ------------------------------------------------------------------------


def build_plan_messages(
    prose: str,
    namespace: Mapping[str, Any] | None = None,
    *,
    previous: TaskPlan | None = None,
    previous_result: str | None = None,
    json_mode: bool = False,
) -> list[Message]:
    """The messages that ask for code.

    Parameters
    ----------
    prose : str
        The user's request.
    namespace : mapping, optional
        The user's namespace; only the variables the prose names are described, by type.
    previous : TaskPlan, optional
        The previous turn, sent as a user/assistant exchange so "now for 1e7" makes sense.
    previous_result : str, optional
        The previous turn's :func:`summarize_result`.
    json_mode : bool
        Ask for a JSON object instead of a fenced block.

    Returns
    -------
    list of dict
        ``[{"role": "system", ...}, ..., {"role": "user", ...}]``.
    """
    system = SYSTEM_PROMPT + ("\n\n" + JSON_INSTRUCTIONS if json_mode else "")
    messages: list[Message] = [{"role": "system", "content": system}]
    if previous is not None:
        messages.append({"role": "user", "content": previous.prose})
        messages.append({"role": "assistant", "content": _fenced(previous.code)})
    parts = []
    if previous is not None:
        shown = previous_result or "(not recorded)"
        parts.append(f"That code ran. Its result: {shown}\n\nFollow-up request:")
    parts.append(prose.strip())
    variables = mentioned_variables(prose, namespace)
    if variables:
        listing = "\n".join(f"- `{name}`: {desc}" for name, desc in variables.items())
        parts.append(f"Variables that already exist in the namespace (types only):\n{listing}")
    cells = cell_references(prose, namespace)
    if cells:
        listing = "\n".join(f"- {line}" for line in cells)
        parts.append(
            "Notebook cells the request refers to, and what they left in the "
            f"namespace (names and types only):\n{listing}"
        )
    messages.append({"role": "user", "content": "\n\n".join(parts)})
    return messages


def repair_message(problem: str, *, attempt: int, json_mode: bool = False) -> str:
    """The user message that sends failing code back: the problem, then "fix the code"."""
    problem = problem.strip()
    if len(problem) > _MAX_PROBLEM_CHARS:
        half = _MAX_PROBLEM_CHARS // 2
        problem = problem[:half] + "\n[… trimmed …]\n" + problem[-half:]
    reply = (
        "Reply with the JSON object, its code the complete corrected program."
        if json_mode
        else "Reply with one sentence and the complete corrected program in one ```python block."
    )
    return (
        f"The code above failed (attempt {attempt}):\n\n{problem}\n\n"
        f"Fix the code. Keep the rules. {reply}"
    )


def build_repair_messages(
    messages: list[Message], code: str, problem: str, *, attempt: int, json_mode: bool = False
) -> list[Message]:
    """The plan conversation, the failing code as the assistant's turn, and the problem."""
    request = repair_message(problem, attempt=attempt, json_mode=json_mode)
    return [
        *messages,
        {"role": "assistant", "content": _fenced(code)},
        {"role": "user", "content": request},
    ]


def build_answer_messages(
    plan: TaskPlan, value: Any, *, schedule: str | None = None, timings: Any = None
) -> list[Message]:
    """The messages that turn a result into a short answer in the prose's language.

    Parameters
    ----------
    plan : TaskPlan
        What was asked and the code that ran.
    value : Any
        The task's ``result``; only :func:`summarize_result` of it is sent.
    schedule : str, optional
        The scheduler's one-sentence account of how the work ran.
    timings : mapping or object, optional
        Timings, e.g. ``{"plan": 1.2, "run": 0.4}`` in seconds.
    """
    lines = [f"Request: {plan.prose.strip()}", f"Result summary: {summarize_result(value)}"]
    if timings:
        if isinstance(timings, Mapping):
            shown = ", ".join(
                f"{k} {v:.3g} s" if isinstance(v, int | float) else f"{k} {v}"
                for k, v in timings.items()
            )
        else:
            shown = _repr.repr(timings)
        lines.append(f"Timings: {shown}")
    if schedule:
        lines.append(f"How it ran: {schedule.strip()}")
    language = _LANGUAGE_NAMES.get(plan.language, "English")
    lines.append(f"Answer in {language}, in one to three sentences.")
    return [
        {"role": "system", "content": ANSWER_SYSTEM_PROMPT},
        {"role": "user", "content": "\n".join(lines)},
    ]


# -- reading replies ----------------------------------------------------------------------


def extract_code(text: str) -> str | None:
    """Return the code of the first Python block in a reply, or None when there is none.

    The first block tagged ``python`` (or ``py``, ``python3``) wins, then the first untagged
    block; an unclosed block (a reply cut by ``max_tokens``) runs to the end. A reply without
    fences counts as code only when it parses as Python and assigns ``result``.
    """
    blocks = [(lang.lower(), body) for lang, body in _FENCE.findall(text)]
    for wanted in (("python", "py", "python3"), ("",)):
        for lang, body in blocks:
            if lang in wanted and body.strip():
                return body.strip("\n").rstrip() + "\n"
    if not blocks and _assigns_result(text):
        return text.strip() + "\n"
    return None


def extract_json_reply(text: str) -> tuple[str | None, str]:
    """Read a JSON-mode reply ``{"code": ..., "explanation": ...}``.

    Returns ``(code, explanation)``; falls back to :func:`extract_code` when the reply is not
    the expected JSON object (some servers ignore ``response_format``).
    """
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict) and isinstance(data.get("code"), str) and data["code"].strip():
        explanation = data.get("explanation")
        code = data["code"]
        inner = extract_code(code) if "```" in code else None
        return (
            inner or code.strip("\n") + "\n",
            explanation.strip() if isinstance(explanation, str) else "",
        )
    return extract_code(text), explanation_of(text)


def explanation_of(text: str) -> str:
    """The first line of prose before the code block, trimmed to 200 characters."""
    before = text.split("```", 1)[0]
    for line in before.splitlines():
        line = line.strip().strip("*#").strip()
        if line:
            return line if len(line) <= 200 else line[:199] + "…"
    return ""


def _assigns_result(text: str) -> bool:
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return False
    return any(
        isinstance(node, ast.Name) and node.id == "result" and isinstance(node.ctx, ast.Store)
        for node in ast.walk(tree)
    )


def _fenced(code: str) -> str:
    return f"```python\n{code.rstrip()}\n```"
