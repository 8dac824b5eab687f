"""CSV and Excel files, or a DataFrame of the notebook, through pandas: rows, and the sum,
mean, median, minimum or maximum of a column, optionally grouped by another column.

The file must exist in the working folder and the columns must be in its header (read with
the ``csv`` module, or openpyxl for Excel, at plan time; pandas is imported by the task code
only). Decisive on a file name ending in ``.csv``/``.xlsx``/``.xls``, strict about words. A
prose that names a column but no file ("the mean of the price column") uses the one table of
the folder that has that column, and says so; when several have it, it asks which.
"""

from __future__ import annotations

import csv
import importlib.util
import re
from pathlib import Path
from typing import Any

from .._lazy import lazy
from ._base import Context, NeedMore, Params, Recipe, identifiers, names_of, text
from ._codegen import fmt
from ._guard import NotMine, Refuse, all_numbers_used, nothing_left

__all__ = ["RECIPES"]

_FILE = lazy(r"([A-Za-z0-9_\-./]+\.(?:csv|xlsx|xls))(?![A-Za-z0-9_])", re.IGNORECASE)
_STATS = {
    "sum": (
        r"sum|total|add up|added up|sum up|summed",
        r"总和|之和|求和|的和|合计|加起来|相加|加总|总计",
    ),
    "mean": (r"mean|average|avg", r"平均值|平均数|均值|平均"),
    "median": (r"median", r"中位数"),
    "max": (r"maximum|max|largest|highest|biggest", r"最大值|最大|最高"),
    "min": (r"minimum|min|smallest|lowest", r"最小值|最小|最低"),
}
_ROWS = (r"how many rows|number of rows|row count|count (?:the )?rows|rows", r"多少行|行数|几行")


def _header(path: Path) -> list[str]:
    if path.suffix.lower() == ".csv":
        with path.open(newline="", encoding="utf-8") as handle:
            return next(csv.reader(handle), [])
    if importlib.util.find_spec("openpyxl") is None:
        raise NeedMore(
            "reading Excel files needs openpyxl: pip install openpyxl pandas",
            "读取Excel文件需要openpyxl：pip install openpyxl pandas",
        )
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    try:
        first = next(book.active.iter_rows(max_row=1, values_only=True), ())
        return [str(v) for v in first if v is not None]
    finally:
        book.close()


def _written(columns: list[str], prose: str) -> list[str]:
    return [
        c for c in columns if re.search(rf"(?<![A-Za-z0-9_]){re.escape(c)}(?![A-Za-z0-9_])", prose)
    ]


def _only_table(ctx: Context) -> Path:
    """The one table in the working folder with a column the prose names.

    Raises
    ------
    NotMine
        When no table here has such a column, or the prose names a notebook variable.
    Refuse
        When several tables have it: the prose must say which.
    """
    if any(name in ctx.namespace for name in identifiers(ctx.text)):
        raise NotMine("the prose names a notebook variable", "这段话用的是笔记本里的变量")
    here = sorted(p for p in Path.cwd().iterdir() if p.suffix.lower() in (".csv", ".xlsx", ".xls"))
    hits: list[tuple[Path, list[str]]] = []
    for path in here:
        try:
            written = _written(_header(path), ctx.prose)
        except (OSError, UnicodeDecodeError, ValueError, NeedMore):
            continue  # unreadable, or Excel without openpyxl: not a candidate
        if written:
            hits.append((path, written))
    if not hits and len(here) == 1 and ctx.has(_THE_TABLE):
        ctx.note(
            f"used {here[0].name}, the only table in this folder",
            f"使用了这个文件夹里唯一的表格{here[0].name}",
        )
        return Path(here[0].name)
    if not hits:
        raise NotMine("name the file, e.g. sales.csv", "请写出文件名，例如sales.csv")
    if len(hits) > 1:
        names = ", ".join(p.name for p, _ in hits)
        raise Refuse(
            f"several files here have that column ({names}); say which one, e.g. "
            f"'... in {hits[0][0].name}'",
            f"这里有多个文件包含这一列（{names}），请说明用哪一个，例如“{hits[0][0].name}中……”",
        )
    path, written = hits[0]
    ctx.note(
        f"used {path.name}, the only table in this folder with a column {written[0]}",
        f"使用了{path.name}：这个文件夹里只有它有{written[0]}列",
    )
    return Path(path.name)  # relative: the code reads it from the working folder


#: Words that put a column as the groups ("per city", "for each class", "每个门店", "按 month").
_GROUP_BEFORE = lazy(
    r"(?:\bby|\bper|\beach|\bevery|\bacross|按|根据|每个|每一个|每|各个|各)\s*"
    r"(?:[^\sA-Za-z0-9_,，。;；]{0,4}\s*[(（]\s*)?$",
    re.IGNORECASE,
)
_GROUP_AFTER = lazy(r"^\s*(?:分组|分别|各自)")
#: Counting rows ("how many orders", "多少人", "number of rows"), per group or in all.
_COUNT = (
    r"how many|number of|count|row count|rows|records|entries",
    r"多少行|行数|几行|多少人|几个人|多少个|多少条|几条|有多少|人数|个数|数量|计数|订单数|记录数|条数|"
    r"行的数量",
)
_OWN_EN = (
    r"rows?|in|column|columns|file|csv|xlsx|xls|excel|spreadsheet|sheet|grouped|group|groups|"
    r"by|per|each|every|across|of|the|table|data|dataset|how|many|count|number|separately|"
    r"respectively|individually|recorded|value|values|entries|entry|records?|all|overall|"
    r"there|from|total|for|whole|appear|appears|listed|stored|cell|cells|field|was|were|does|"
    r"do|have|has|contain|contains|got"
)
_OWN_ZH = (
    r"分组后|分组|按|根据|每一个|每个|每|各个|各自|各|分别|这一列|这列|一列|列|中|里|文件|表格|表|"
    r"多少行|行数|几行|行|多少人|几个人|人数|多少个|多少条|几条|条|有多少|个数|数量|计数|人|有|共|"
    r"一共|总共|记录|数据|数值|分|是|多少|的|统计|订单数|记录数|条数|订单|行数据|条数据|行记录|条记录|"
    r"多少列|几列|列数|列名|看下|看一下|查看|查一下|查下|这个|那个|该"
)
#: The header is never a row of the table ("不算表头"); counting it is refused.
_NO_HEADER = (
    r"\b(?:excluding|not counting|without|minus|except|besides|apart from|other than|"
    r"not including|ignoring)\s+(?:the\s+)?(?:header|heading|column names|title)(?:\s+row)?\b|"
    r"\bheader (?:row )?(?:excluded|not counted|not included)\b|"
    r"(?:不算|不含|不包括|不包含|不计|除去|去掉|除了|扣除|不要)(?:上)?(?:第一行)?(?:的)?(?:表头|标题行|列名|标题)(?:行)?"
)
_WITH_HEADER = (
    r"\b(?:including|counting|with|plus)\s+(?:the\s+)?(?:header|heading|column names)|"
    r"(?<![不])(?:算上|包括|包含|含|加上|连同|算)(?:上)?(?:表头|标题行|列名)"
)
#: "the csv", "这个csv": the one table of the folder.
_THE_TABLE = (
    r"\b(?:the|this|that|my)\s+(?:csv|excel|spreadsheet|table|xlsx)(?:\s+file)?\b|"
    r"(?:这个|那个|该|这张|这份)\s*(?:csv|excel|xlsx|表格|表)"
)
_COLUMNS = (
    r"how many columns|number of columns|column count|count (?:the )?columns|多少列|几列|列数"
)


def _group_column(columns: list[str], prose: str) -> str | None:
    """The column written right after a grouping word (or before 分组/分别)."""
    found: list[str] = []
    for c in sorted(columns, key=len, reverse=True):
        pattern = rf"(?<![A-Za-z0-9_]){re.escape(c)}(?![A-Za-z0-9_])"
        for m in re.finditer(pattern, prose):
            grouped = _GROUP_BEFORE.search(prose[: m.start()]) or _GROUP_AFTER.search(
                prose[m.end() :]
            )
            if grouped and c not in found and not any(c in f for f in found):
                found.append(c)
    if len(found) > 1:
        raise Refuse(
            f"group by one column, not {', '.join(found)}",
            f"请只按一列分组，而不是{'、'.join(found)}",
        )
    return found[0] if found else None


def _is_frame(value: Any) -> bool:
    return type(value).__name__ == "DataFrame" and type(value).__module__.startswith("pandas")


def _extract(ctx: Context) -> Params:
    m = _FILE.search(ctx.prose)
    named = m.group(1) if m is not None else ""
    frames = names_of(ctx, _is_frame) if m is None else []
    if len(frames) > 1:
        raise Refuse(
            f"name one table, not {', '.join(frames)}", f"请只写一个表：而不是{'、'.join(frames)}"
        )
    if frames:  # "df 里 price 的平均值": the notebook's own DataFrame
        named = frames[0]
        path = Path(named)
        columns = [str(c) for c in ctx.namespace[named].columns]
        ctx.note(f"the DataFrame {named} from your namespace", f"用了命名空间里的表 {named}")
        return _read(ctx, named, path, columns, frame=named)
    path = Path(named) if m is not None else _only_table(ctx)
    if not path.is_file():
        raise NeedMore(f"there is no file {path} in {Path.cwd()}", f"{Path.cwd()}中没有文件{path}")
    if importlib.util.find_spec("pandas") is None:
        raise NeedMore(
            "reading tables needs pandas: pip install pandas",
            "读取表格需要pandas：pip install pandas",
        )
    return _read(ctx, named, path, _header(path), frame=None)


def _read(ctx: Context, named: str, path: Path, columns: list[str], *, frame: str | None) -> Params:
    """The statistic the prose asks of a table with these ``columns``."""
    all_numbers_used(ctx, 0)
    prose = ctx.prose.replace(named, " ") if named else ctx.prose
    group = _group_column(columns, prose)
    written = _written(columns, prose)
    targets = [c for c in written if c != group and not any(c != w and c in w for w in written)]
    own_en = (
        "|".join(re.escape(c) for c in columns)
        + "|"
        + _OWN_EN
        + "".join("|" + re.escape(part) for part in re.split(r"[./]", named) if part)
    )
    own_zh = "|".join(sorted(_OWN_ZH.split("|"), key=len, reverse=True))
    wide = [re.escape(c) for c in columns if not c.isascii()]  # 门店: no \\b around CJK
    glossed = "|".join(re.escape(c) for c in columns)
    own_zh = "|".join(
        [
            *sorted(wide, key=len, reverse=True),
            rf"[\u4e00-\u9fff]{{1,4}}(?=\s*[(（]\s*(?:{glossed})\s*[)）])",  # 部门(dept)
            *(
                [r"(?:每一个|每个|各个|每|各)[\u4e00-\u9fff]{1,2}(?=\s|的|[A-Za-z]|$)"]
                if group
                else []
            ),
            own_zh,
        ]
    )
    asked = [k for k, (en, zh) in _STATS.items() if ctx.has(rf"\b(?:{en})\b|{zh}")]
    if ctx.has(_WITH_HEADER) and not ctx.has(_NO_HEADER):
        raise Refuse(
            "a table's rows never include its header; ask for the number of rows",
            "表格的行数不含表头；请直接问有多少行",
            with_help=True,
        )
    if ctx.has(_NO_HEADER):  # pandas never counts the header as a row
        own_en, own_zh = _NO_HEADER + "|" + own_en, _NO_HEADER + "|" + own_zh
    if ctx.has(_COLUMNS):
        if asked or targets or group:
            raise NeedMore("ask for the number of columns alone", "请单独问有几列")
        nothing_left(ctx, own_en, own_zh)
        return {"path": str(path), "op": "columns", "frame": frame}
    counting = ctx.has(rf"\b(?:{_COUNT[0]})\b") or re.search(_COUNT[1], ctx.prose) is not None
    if counting and "sum" in asked and ctx.has(r"\btotal\b") and not ctx.has(r"\bsum\b|总和"):
        asked.remove("sum")  # "how many rows in total"
    if counting and not asked:
        if len(targets) > 1:
            raise NeedMore(
                "count the rows, or the values of one column", "请统计行数，或某一列的值的个数"
            )
        nothing_left(ctx, own_en, own_zh)
        op = "count" if targets else "rows"
        if group is None and op == "rows":
            return {"path": str(path), "op": "rows", "frame": frame}
        return {
            "path": str(path),
            "op": op,
            "column": targets[0] if targets else None,
            "group": group,
            "frame": frame,
        }
    if len(asked) != 1 or len(targets) != 1:
        raise NeedMore(
            f"ask for one statistic (count, sum, mean, median, min or max) of one column of "
            f"{path}: {', '.join(columns)}",
            f"请问{path}中某一列（{'、'.join(columns)}）的一个统计量（个数、总和、平均值、中位数、最小值或最大值）",
        )
    en, zh = _STATS[asked[0]]
    nothing_left(ctx, own_en + "|" + en, zh + "|" + own_zh)
    return {
        "path": str(path),
        "op": asked[0],
        "column": targets[0],
        "group": group,
        "frame": frame,
    }


def _code(params: Params) -> str:
    path = params["path"]
    reader = "read_csv" if path.lower().endswith(".csv") else "read_excel"
    head = f"import pandas as pd\n\n\ndef _aigc_table():\n    table = pd.{reader}({path!r})\n"
    if params.get("frame"):  # the notebook's DataFrame, read where it is
        head = f"def _aigc_table():\n    table = {params['frame']}\n"
    if params["op"] == "columns":
        return head + "    return len(table.columns)\n\n\nresult = _aigc_table()\n"
    if params["op"] == "rows" and not params.get("group"):
        return head + "    return len(table)\n\n\nresult = _aigc_table()\n"
    column, op = params["column"], params["op"]
    if op == "rows":  # rows per group
        body = (
            f"    return {{str(k): int(v) for k, v in "
            f"table.groupby({params['group']!r}).size().items()}}\n"
        )
    elif params["group"]:
        body = (
            f"    return {{str(k): v.item() if hasattr(v, 'item') else v for k, v in "
            f"table.groupby({params['group']!r})[{column!r}].{op}().items()}}\n"
        )
    else:
        body = f"    value = table[{column!r}].{op}()\n    return value.item() if hasattr(value, 'item') else value\n"  # noqa: E501
    return head + body + "\n\nresult = _aigc_table()\n"


def _summary(params: Params, lang: str) -> str:
    if params["op"] == "columns":
        return text(lang, f"Count the columns of {params['path']}", f"统计{params['path']}的列数")
    if params["op"] == "rows":
        if params.get("group"):
            return text(
                lang,
                f"Count the rows of {params['path']} for each {params['group']}",
                f"统计{params['path']}中每个{params['group']}的行数",
            )
        return text(lang, f"Count the rows of {params['path']}", f"统计{params['path']}的行数")
    by_en = f" by {params['group']}" if params["group"] else ""
    by_zh = f"按{params['group']}分组" if params["group"] else ""
    return text(
        lang,
        f"The {params['op']} of {params['column']}{by_en} in {params['path']}",
        f"{params['path']}中{by_zh}{params['column']}的{params['op']}",
    )


def _answer(params: Params, value: Any, lang: str) -> str:
    shown = fmt(value) if not isinstance(value, dict) else str(value)
    return text(lang, f"{_summary(params, lang)}: {shown}.", f"{_summary(params, lang)}：{shown}。")


RECIPES = [
    Recipe(
        id="tables.column",
        anchors=(
            r"[a-z0-9_\-]\.(?:csv|xlsx|xls)\b|\bcolumns?\b|[a-z0-9_]\s*列(?![出表举])|\bdf\w*\b|"
            r"dataframe|data frame|数据框|\brows\b"
        ),
        examples_en=(
            "total units in sales.csv",
            "how many rows are in sales.csv",
            "average price by region in sales.csv",
            "max units in sales.csv",
            "mean of the price column in sales.csv",
            "how many rows are there for each region in sales.csv",
            "what's the average price for each region in sales.csv",
        ),
        examples_zh=(
            "sales.csv里units列的总和",
            "sales.csv有多少行",
            "按region分组求sales.csv中price的平均值",
            "sales.csv中units的最大值",
            "sales.csv里price的中位数",
            "sales.csv里每个region分别有多少行",
            "sales.csv 里各个 region 的 units 总和分别是多少",
        ),
        extract=_extract,
        code=_code,
        summary=_summary,
        answer=_answer,
        demo="total units in sales.csv",
        priority=20,
        decisive=True,
        grid=False,
    )
]
