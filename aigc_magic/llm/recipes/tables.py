"""CSV and Excel files, or a DataFrame of the notebook, through pandas: rows, and the sum,
mean, median, minimum or maximum of a column, optionally grouped by another column.

The file must exist in the working folder and the columns must be in its header (read with
the ``csv`` module, or openpyxl for Excel, at plan time; pandas is imported by the task code
only). Decisive on a file name ending in ``.csv``/``.xlsx``/``.xls``, strict about words. A
prose that names a column but no file ("the mean of the price column") uses the one table of
the folder that has that column, and says so; when several have it, it asks which.
"""

from __future__ import annotations

import contextlib
import csv
import importlib.util
import re
from pathlib import Path
from typing import Any

from .._lazy import lazy
from ._base import Context, NeedMore, Params, Recipe, identifiers, names_of, text
from ._codegen import fmt
from ._guard import NotMine, Refuse, all_numbers_used, nothing_left

__all__ = ["RECIPES", "column_words"]

_FILE = lazy(r"([A-Za-z0-9_\-./]+\.(?:csv|xlsx|xls))(?![A-Za-z0-9_])", re.IGNORECASE)
#: A name with Chinese in it ("成绩.xlsx"), read only when such a file exists (:func:`_named`).
_WIDE_FILE = lazy(
    r"([A-Za-z0-9_\-./\u4e00-\u9fff]+\.(?:csv|xlsx|xls))(?![A-Za-z0-9_])", re.IGNORECASE
)
_STATS = {
    "sum": (
        r"sum|total|add up|added up|sum up|summed",
        r"总和|之和|求和|的和|合计|加起来|相加|加总|总计|汇总",
    ),
    "mean": (r"mean|average|avg", r"平均值|平均数|平均分|均值|平均"),
    "median": (r"median", r"中位数"),
    "max": (r"maximum|max|largest|highest|biggest", r"最大值|最高分|最大|最高"),
    "min": (r"minimum|min|smallest|lowest", r"最小值|最低分|最小|最低"),
}
_ROWS = (r"how many rows|number of rows|row count|count (?:the )?rows|rows", r"多少行|行数|几行")


def _named(prose: str) -> str:
    """The file the prose names, "" when none: the longest tail of a name with Chinese words
    glued before it that is a file here ("在成绩.xlsx里" is 成绩.xlsx, "按region分组求sales.csv"
    is sales.csv), else the ASCII name as written."""
    wide = _WIDE_FILE.search(prose)
    if wide is not None:
        named = wide.group(1)
        for k in range(len(named)):
            if Path(named[k:]).is_file():
                return named[k:]
    m = _FILE.search(prose)
    return m.group(1) if m is not None else ""


#: Chinese words for columns commonly named in English: 温度 is the column temp when the
#: table has exactly one column of these names (case aside), never a guess among several.
_GLOSS = {
    "温度": ("temp", "temperature", "temps"),
    "金额": ("amount", "amt", "money"),
    "价格": ("price", "prices", "unit_price"),
    "单价": ("price", "unit_price"),
    "价钱": ("price",),
    "数量": ("qty", "quantity", "units", "count"),
    "件数": ("qty", "quantity", "units"),
    "销量": ("sales", "units", "qty", "quantity"),
    "销售额": ("sales", "revenue", "amount"),
    "年龄": ("age",),
    "城市": ("city",),
    "地区": ("region", "area"),
    "区域": ("region", "area"),
    "类别": ("category", "type", "class", "kind"),
    "类型": ("type", "category", "kind"),
    "分类": ("category", "class"),
    "产品": ("product", "item"),
    "商品": ("product", "item"),
    "日期": ("date", "day"),
    "月份": ("month",),
    "年份": ("year",),
    "分数": ("score", "marks", "grade"),
    "得分": ("score", "points"),
    "数学": ("math", "maths"),
    "英语": ("english",),
    "语文": ("chinese",),
    "姓名": ("name",),
    "名字": ("name",),
    "性别": ("gender", "sex"),
    "部门": ("dept", "department"),
    "工资": ("salary", "wage", "pay"),
    "薪水": ("salary", "wage", "pay"),
    "收入": ("income", "revenue"),
    "体重": ("weight",),
    "重量": ("weight",),
    "身高": ("height",),
    "国家": ("country",),
    "门店": ("store", "shop"),
    "客户": ("customer", "client"),
}
#: 总 before a glossed quantity ("总金额", "总销量") is a sum.
_SUM_ZH = "总(?=(?:" + "|".join(_GLOSS) + "))"
#: Asking which group or row comes first: "which product", "哪个城市", "谁".
_WHICH = r"\bwhich\b|哪个|哪一个|哪一|哪种|哪类|哪家|哪位|哪天|谁"
_MOST = (r"maximum|max|largest|highest|biggest|most|greatest", r"最大|最高|最多")
_LEAST = (r"minimum|min|smallest|lowest|least|fewest", r"最小|最低|最少")


def _glossed(ctx: Context, columns: list[str], prose: str) -> tuple[str, list[str]]:
    """The prose with each glossed Chinese word (:data:`_GLOSS`) written as its column, and
    the words so read.

    Raises
    ------
    Refuse
        When a word could be several columns of the table.
    """
    used: list[str] = []
    lower = {c.lower(): c for c in columns}
    for word in sorted(_GLOSS, key=len, reverse=True):
        if word not in prose or any(word in c for c in columns):
            continue
        hits = sorted({lower[n] for n in _GLOSS[word] if n in lower})
        if len(hits) > 1:
            raise Refuse(
                f"'{word}' could be the column {' or '.join(hits)}; write the column's name",
                f"“{word}”可能是{'或'.join(hits)}列；请直接写出列名",
            )
        if hits:
            prose = prose.replace(word, f" {hits[0]} ")
            used.append(word)
            ctx.note(f"read {word} as the column {hits[0]}", f"把“{word}”理解为{hits[0]}列")
    return prose, used


def _unique(path: Path, column: str, frame: Any) -> bool:
    """Whether every row has its own value of ``column`` (read at plan time, no pandas)."""
    if frame is not None:
        return bool(frame[column].is_unique)
    if path.suffix.lower() == ".csv":
        with path.open(newline="", encoding="utf-8") as handle:
            values = [row.get(column) for row in csv.DictReader(handle)]
    else:
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True)
        try:
            rows = book.active.iter_rows(values_only=True)
            header = [str(v) for v in next(rows, ())]
            at = header.index(column)
            values = [row[at] for row in rows]
        finally:
            book.close()
    return len(values) == len(set(values))


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


def column_words(prose: str) -> set[str]:
    """The words of the column names of the tables the prose names and of the CSV files in
    the working folder (lower case): never misspellings ("stock" is a column, not "stack")."""
    paths = {Path(m.group(1)) for m in _FILE.finditer(prose)}
    with contextlib.suppress(OSError):
        paths.update(p for p in Path.cwd().iterdir() if p.suffix.lower() == ".csv")
    words: set[str] = set()
    for path in paths:
        try:
            header = _header(path)
        except (OSError, UnicodeDecodeError, ValueError, NeedMore, StopIteration):
            continue
        for column in header:
            words.update(w.lower() for w in re.findall(r"[A-Za-z]+", column))
    return words


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
    r"respectively|individually|recorded|value|values|entries|entry|records?|all|overall|score|scores|"
    r"there|from|total|for|whole|appear|appears|listed|stored|cell|cells|field|was|were|does|"
    r"do|have|has|contain|contains|got"
)
_OWN_ZH = (
    r"分组后|分组|按|根据|每一个|每个|每|各个|各自|各|分别|这一列|这列|一列|列|中|里|文件|表格|表|"
    r"多少行|行数|几行|行|多少人|几个人|人数|多少个|多少条|几条|条|有多少|个数|数量|计数|人|有|共|"
    r"一共|总共|记录|数据|数值|分|是|多少|的|统计|订单数|记录数|条数|订单|行数据|条数据|行记录|条记录|"
    r"多少列|几列|列数|列名|看下|看一下|查看|查一下|查下|这个|那个|该|在"
)
#: The header is never a row of the table ("不算表头"); counting it is refused.
_NO_HEADER = (
    r"\b(?:excluding|not counting|without|minus|except|besides|apart from|other than|"
    r"not including|ignoring)\s+(?:the\s+)?(?:header|heading|column names|title)(?:\s+row)?\b|"
    r"\bheader (?:row )?(?:excluded|not counted|not included)\b|"
    r"(?:不算|不含|不包括|不包含|不计|除去|去掉|除了|扣除|不要)(?:上)?(?:第一行)?(?:的)?(?:表头|标题行|列名|标题)(?:行)?|"
    r"(?:表头|标题行|列名)(?:行)?(?:不算|不计|不计入|除外|不包括在内|不算在内)"
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
    named = _named(ctx.prose)
    frames = names_of(ctx, _is_frame) if not named else []
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
    path = Path(named) if named else _only_table(ctx)
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
    prose, glossed = _glossed(ctx, columns, prose)
    which = ctx.has(_WHICH)
    group = None if which else _group_column(columns, prose)
    written = _written(columns, prose)
    targets = [c for c in written if c != group and not any(c != w and c in w for w in written)]
    own_en = (
        "|".join(re.escape(c) for c in columns)
        + "|"
        + _OWN_EN
        + "".join("|" + re.escape(part) for part in re.split(r"[./]", named) if part)
    )
    own_zh = "|".join(sorted(_OWN_ZH.split("|"), key=len, reverse=True))
    wide = [re.escape(c) for c in [*columns, *glossed] if not c.isascii()]  # 门店: no \\b
    if named and not named.isascii():
        wide.append(re.escape(named))
    named_columns = "|".join(re.escape(c) for c in columns)
    own_zh = "|".join(
        [
            *sorted(wide, key=len, reverse=True),
            rf"[\u4e00-\u9fff]{{1,4}}(?=\s*[(（]\s*(?:{named_columns})\s*[)）])",  # 部门(dept)
            *(
                [r"(?:每一个|每个|各个|每|各)[\u4e00-\u9fff]{1,2}(?=\s|的|[A-Za-z]|$)"]
                if group
                else []
            ),
            own_zh,
        ]
    )
    asked = [k for k, (en, zh) in _STATS.items() if ctx.has(rf"\b(?:{en})\b|{zh}")]
    if "sum" not in asked and ctx.has(_SUM_ZH):
        asked.append("sum")
    own_zh = f"{_SUM_ZH}|{own_zh}" if "sum" in asked else own_zh
    own_zh = f"多少度|多少元|多少岁|多少钱|{own_zh}"
    if which:
        return _which(ctx, path, columns, prose, asked, own_en, own_zh, frame)
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


def _which(
    ctx: Context,
    path: Path,
    columns: list[str],
    prose: str,
    asked: list[str],
    own_en: str,
    own_zh: str,
    frame: str | None,
) -> Params:
    """ "which product has the biggest total qty": the key whose aggregate is largest or
    smallest. With no aggregate word ("which student has the highest math") the key must
    name one row each, checked in the table, or the request is refused."""
    ends = [
        way for way, (en, zh) in (("max", _MOST), ("min", _LEAST)) if ctx.has(rf"\b(?:{en})\b|{zh}")
    ]
    written = _written(columns, prose)
    keys = [
        c
        for c in written
        if re.search(
            rf"(?:{_WHICH})\s*(?:of the |one of the )?(?:[\u4e00-\u9fff]\s*)?{re.escape(c)}"
            rf"(?![A-Za-z0-9_])",
            prose,
            re.IGNORECASE,
        )
    ]
    values = [c for c in written if c not in keys]
    aggregate = [a for a in asked if a not in ("max", "min")]
    if len(ends) != 1 or len(keys) != 1 or len(values) != 1 or len(aggregate) > 1:
        raise Refuse(
            "ask which value of one column has the largest (or smallest) total, average or "
            "value of one other column, e.g. 'which product has the biggest total qty in "
            "orders.csv'",
            "请问某一列的哪个值在另一列上的总和、平均值或数值最大（或最小），例如"
            "“orders.csv 里哪个 product 的 qty 总和最大”",
            with_help=True,
        )
    if aggregate and aggregate[0] not in ("sum", "mean", "median"):
        raise Refuse(
            f"the largest or smallest of a total, an average or a median, not of a {aggregate[0]}",
            "只能比较总和、平均值或中位数",
            with_help=True,
        )
    key, value = keys[0], values[0]
    if not aggregate:
        if not _unique(path, key, ctx.namespace.get(frame) if frame else None):
            raise Refuse(
                f"{key} repeats in the table: say whether the total, the average or the "
                f"single largest {value} counts",
                f"{key}在表中有重复：请说明比较的是{value}的总和、平均值还是单个最大值",
                with_help=True,
            )
        aggregate = ["max"]
    words = "|".join(re.escape(w) for w in (key, value))
    nothing_left(
        ctx,
        rf"{own_en}|{_MOST[0]}|{_LEAST[0]}|{_STATS['sum'][0]}|{_STATS['mean'][0]}|"
        rf"{_STATS['median'][0]}|which|one|has|had|have|got|gets|sold|{words}",
        rf"{_WHICH}|{_MOST[1]}|{_LEAST[1]}|{_STATS['sum'][1]}|{_STATS['mean'][1]}|"
        rf"{_STATS['median'][1]}|{own_zh}",
    )
    return {
        "path": str(path),
        "op": f"arg{ends[0]}",
        "column": value,
        "group": key,
        "agg": aggregate[0],
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
    if op in ("argmax", "argmin"):
        body = (
            f"    per = table.groupby({params['group']!r})[{column!r}].{params['agg']}()\n"
            f"    keys = per[per == per.{op[3:]}()].index.tolist()\n"
            f"    return keys[0] if len(keys) == 1 else keys  # every key of a tie\n"
        )
    elif op == "rows":  # rows per group
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
    if params["op"] in ("argmax", "argmin"):
        way_en, way_zh = ("largest", "最大") if params["op"] == "argmax" else ("smallest", "最小")
        agg = params["agg"]
        of_en = f"the {agg} of {params['column']}" if agg != "max" else params["column"]
        of_zh = f"{params['column']}的{agg}" if agg != "max" else params["column"]
        return text(
            lang,
            f"The {params['group']} with the {way_en} {of_en} in {params['path']}",
            f"{params['path']}中{of_zh}{way_zh}的{params['group']}",
        )
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
            r"[a-z0-9_\-\u4e00-\u9fff]\.(?:csv|xlsx|xls)\b|\bcolumns?\b|[a-z0-9_]\s*列(?![出表举])|\bdf\w*\b|"
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
