"""Word, line or character counts over the files that match a glob pattern (read-only)."""

from __future__ import annotations

from typing import Any

from .._lazy import lazy
from ._base import Context, NeedMore, Params, Recipe, text
from ._codegen import render
from ._guard import Refuse

__all__ = ["RECIPES"]

_EXTENSIONS = {
    "python": "py",
    "markdown": "md",
    "text": "txt",
    "csv": "csv",
    "json": "json",
    "log": "log",
    "yaml": "yaml",
    "javascript": "js",
    "typescript": "ts",
    "html": "html",
    "c": "c",
    "java": "java",
    "rust": "rs",
    "go": "go",
    "notebook": "ipynb",
}
_UNITS = [
    ("lines", r"\blines?\b|\bloc\b|\bwc -l\b|行"),
    ("chars", r"characters?|\bchars?\b|\bwc -[cm]\b|字符"),
    ("words", r"\bwords?\b|\bwc(?: -w)?\b|单词|词数|字数|词"),
]

_CODE = '''
import glob
from pathlib import Path

from joblib import Parallel, cpu_count, delayed


def _aigc_count(path):
    """The number of $UNIT in one file, read as UTF-8 text (undecodable bytes replaced)."""
    count = 0
    with open(path, "r", encoding="utf-8", errors="replace") as fh:
        for line in fh:
            count += $PER_LINE
    return count


def _aigc_count_files(paths):
    return {path: _aigc_count(path) for path in paths}


def _aigc_count_matching(pattern):
    """{path: count} for every file matching pattern; the files are split over the cores."""
    paths = sorted(p for p in glob.glob(pattern, recursive=True) if Path(p).is_file())
    n_chunks = max(1, min(4 * cpu_count(), len(paths)))
    chunks = [paths[k::n_chunks] for k in range(n_chunks)]  # interleaved: mixes big and small
    counts = {}
    for part in $PARALLEL(delayed(_aigc_count_files)(c) for c in chunks if c):
        counts.update(part)
    return dict(sorted(counts.items()))


result = _aigc_count_matching($PATTERN)
'''
_QUOTED_GLOB = lazy(r"""["'`]([^"'`]*\*[^"'`]*)["'`]""")
_GLOB = lazy(r"(?<![A-Za-z0-9_*])([A-Za-z0-9_.~\-/\\]*\*[A-Za-z0-9_.*?\-/\\{}\[\]]*)")
_PER_LINE = {"lines": "1", "words": "len(line.split())", "chars": "len(line)"}


def _extract(ctx: Context) -> Params:
    if ctx.has(r"[a-z0-9_\-]\.(?:csv|tsv|xlsx?)\b|\b(?:excel|spreadsheet)\b|表格") and ctx.has(
        r"\brows?\b|\bcolumns?\b|行数|多少行|列"
    ):
        raise Refuse(
            "rows and columns of a table are not lines of text; ask the table recipes in "
            "their words, e.g. 'how many rows are in sales.csv' or 'the mean of the price "
            "column in sales.csv'",
            "表格的行和列不是文本行；请按表格任务的说法提问，例如“sales.csv 有多少行”或"
            "“sales.csv 里 price 列的平均值”",
            with_help=True,
        )
    pattern = None
    m = _QUOTED_GLOB.search(ctx.prose) or _GLOB.search(ctx.prose)
    if m and len(m.group(1).rstrip("?.,;:!")) > 1:
        pattern = m.group(1).rstrip("?.,;:!")
    if pattern is None:
        recursive = ctx.has(
            r"recursive|subfolder|sub-folder|subdirector|all folders|"
            r"递归|子目录|子文件夹|所有目录|所有文件夹|整个项目"
        )
        ext = None
        if (e := ctx.search(r"(?<![\w*])\.([a-z0-9]{1,6})\b")) is not None:
            ext = e.group(1)
        else:
            for word, suffix in _EXTENSIONS.items():
                if ctx.has(rf"\b{word}\b|{word}\s*文件"):
                    ext = suffix
                    break
            else:  # Chinese names a file type by its extension: "txt文件"
                if (e := ctx.search(r"(?<![a-z0-9])([a-z][a-z0-9]{0,5})\s*文件")) is not None:
                    ext = e.group(1)
        if ext is None:
            if ctx.previous is not None:
                pattern = ctx.prev("pattern")
            else:
                raise NeedMore(
                    "say which files, with a glob such as '*.py' or 'docs/**/*.md'",
                    "请用通配符说明哪些文件，例如“*.py”或“docs/**/*.md”",
                    with_help=True,
                )
        else:
            pattern = f"**/*.{ext}" if recursive else f"*.{ext}"
            ctx.note(
                f"files matching {pattern}"
                + (" (all subfolders)" if recursive else " in the current folder"),
                f"匹配{pattern}的文件" + ("（含所有子目录）" if recursive else "（当前目录）"),
            )
    unit = next((u for u, p in _UNITS if ctx.has(p)), None)
    if unit is None:
        unit = ctx.prev("unit", "words")
        if ctx.previous is None:
            ctx.note("counted words", "统计单词数")
    if unit == "words" and ctx.lang == "zh":
        ctx.note("words are whitespace-separated tokens", "“词”按空白分隔计数")
    ctx.note("files are only read, never changed", "只读取文件，不做任何修改")
    return {"pattern": pattern, "unit": unit}


def _code(params: Params) -> str:
    return render(
        _CODE,
        PATTERN=repr(params["pattern"]),
        UNIT=params["unit"],
        PER_LINE=_PER_LINE[params["unit"]],
    )


_UNIT_ZH = {"lines": "行数", "words": "词数", "chars": "字符数"}
_UNIT_EN = {"lines": "lines", "words": "words", "chars": "characters"}
_MEASURE_ZH = {"lines": "行", "words": "个词", "chars": "个字符"}


def _summary(params: Params, lang: str) -> str:
    return text(
        lang,
        f"Count the {_UNIT_EN[params['unit']]} in files matching {params['pattern']}",
        f"统计匹配{params['pattern']}的文件的{_UNIT_ZH[params['unit']]}",
    )


def _answer(params: Params, value: Any, lang: str) -> str:
    counts = dict(value)
    unit_en, pattern = _UNIT_EN[params["unit"]], params["pattern"]
    if not counts:
        return text(lang, f"No files match {pattern}.", f"没有文件匹配{pattern}。")
    total = sum(counts.values())
    top = max(counts, key=counts.__getitem__)
    return text(
        lang,
        f"{total} {unit_en} in {len(counts)} files matching {pattern}; the most "
        f"are in {top} ({counts[top]}).",
        f"匹配{pattern}的{len(counts)}个文件共{total}{_MEASURE_ZH[params['unit']]}，"
        f"最多的是{top}（{counts[top]}）。",
    )


RECIPES = [
    Recipe(
        id="files.count",
        anchors=r"(?=.*(?:\bfiles?\b|文件|\*|\.[a-z]{1,5}\b|docs|source|代码))"
        r"(?=.*(?:count|how many|number of|total|统计|多少|数一数|数一下|数数|计数|一共|总|"
        r"计算|\bwc\b))"
        r"(?=.*(?:words?|lines?|\bloc\b|characters?|chars?|\bwc\b|行|词|字))",
        examples_en=(
            "count the words in all *.md files",
            "how many lines are in the *.py files",
            "line count of src/**/*.py",
            "count lines of code in python files recursively",
            "total number of words across docs/*.txt",
            "wc -l for every .csv file here",
            "how many characters are in the notes/*.txt files",
        ),
        examples_zh=(
            "统计所有*.md文件的字数",
            "计算src目录下*.py文件的总行数",
            "数一数docs/*.txt里有多少个单词",
            "递归统计所有python文件的代码行数",
            "当前目录下.csv文件各有多少行",
            "统计notes/*.txt的字符数",
        ),
        extract=_extract,
        code=_code,
        summary=_summary,
        answer=_answer,
        demo="count the lines in all *.py files",
    )
]
