""" "Ask about the active cell": the cell the sidebar attached, written into the prose.

The panel attaches the active cell's code, its error (exception, value and traceback) and the
text of its other outputs when the user types ``@cell`` or presses the panel's button. The
engine then sees one prose: the user's words, followed by the cell in fenced blocks, so "fix
this" and "explain this output" reach an LLM with what they refer to (through the same
redaction as any request). The offline planner only knows its recipes: :func:`needs_llm`
says so, with the way to configure an LLM.
"""

from __future__ import annotations

from .._protocol import CellContext

__all__ = ["MAX_CODE", "MAX_OUTPUT", "MAX_TRACEBACK", "needs_llm", "with_cell"]

MAX_CODE = 6000  # characters of the cell's code sent along
MAX_TRACEBACK = 3000  # characters, from the end (where the error is)
MAX_OUTPUT = 2000  # characters of its other outputs

_HEADINGS = {
    "en": (
        "The notebook's active cell (what the request refers to):",
        "Running it failed with:",
        "Its output:",
    ),
    "zh": ("笔记本中当前的单元格（请求所指的内容）：", "运行它时出错：", "它的输出："),
}


def _fence(text: str) -> str:
    longest = max((len(run) for run in text.split("\n") if set(run) == {"`"}), default=0)
    return "`" * max(3, longest + 1)


def _tail(text: str, limit: int) -> str:
    return text if len(text) <= limit else "…" + text[-limit:]


def _head(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def with_cell(prose: str, cell: CellContext, language: str) -> str:
    """``prose`` followed by the attached cell: code, then its error or its output.

    >>> print(with_cell("fix this", {"code": "1/0", "error": None, "output": ""}, "en"))
    fix this
    <BLANKLINE>
    The notebook's active cell (what the request refers to):
    ```python
    1/0
    ```
    """
    code_heading, error_heading, output_heading = _HEADINGS.get(language, _HEADINGS["en"])
    code = _head(cell.get("code", ""), MAX_CODE)
    parts = [prose.rstrip(), "", code_heading, f"{_fence(code)}python", code, _fence(code)]
    error = cell.get("error")
    if error:
        trace = _tail(
            error.get("traceback", "") or f"{error.get('ename', '')}: {error.get('evalue', '')}",
            MAX_TRACEBACK,
        )
        parts += [error_heading, _fence(trace), trace, _fence(trace)]
    output = _head(cell.get("output", ""), MAX_OUTPUT).strip()
    if output:
        parts += [output_heading, _fence(output), output, _fence(output)]
    return "\n".join(parts)


def needs_llm(language: str) -> str:
    """The message for an ask about a cell when only the offline planner would answer."""
    if language == "zh":
        return (
            "询问单元格需要大语言模型：单元格的代码和错误要发给模型，而内置的离线规划器只认识"
            "它自带的任务。请在启动 Jupyter 的环境中设置 OPENAI_API_KEY，或在笔记本中运行 "
            '%config AskMagics.base_url = "http://127.0.0.1:11434/v1"（本机的 Ollama 或 '
            "llama.cpp 服务会被自动发现），然后再问一次。"
        )
    return (
        "Asking about a cell needs an LLM: the cell's code and error go to the model, and "
        "the embedded offline planner only knows its own recipes. Set OPENAI_API_KEY in "
        "the environment that starts Jupyter, or run "
        '%config AskMagics.base_url = "http://127.0.0.1:11434/v1" in the notebook (a '
        "local Ollama or llama.cpp server is found by itself), then ask again."
    )
