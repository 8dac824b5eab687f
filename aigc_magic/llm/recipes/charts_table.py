"""Plots of a table: a column of a CSV or Excel file as a histogram, a bar chart of a
column's statistic per group, or one column against another (pandas, imported by the task
only). Decisive and strict like :mod:`.charts`, whose helpers it shares.
"""

from __future__ import annotations

import re
from pathlib import Path

from .._lazy import lazy
from ._base import Context, NeedMore, Params
from ._guard import NotMine, all_numbers_used, nothing_left
from .charts import _DRAW, _KIND_EN, _KIND_ZH, _figure_code, _kind, _recipe
from .plots import _PLOT, _PLOT_EN, _PLOT_ZH, _longest_first, _need_matplotlib

__all__ = ["RECIPES"]


_FILE = lazy(r"([A-Za-z0-9_\-./]+\.(?:csv|xlsx|xls))(?![A-Za-z0-9_])", re.IGNORECASE)
_AGAINST = r"\bagainst\b|\bvs\.?\b|\bversus\b|对|与|和"
_TABLE_STATS = {
    "sum": r"\bsum\b|\btotal\b|总和|之和|合计",
    "mean": r"\bmean\b|\baverage\b|\bavg\b|平均",
    "max": r"\bmax(?:imum)?\b|\blargest\b|\bhighest\b|最大",
    "min": r"\bmin(?:imum)?\b|\bsmallest\b|\blowest\b|最小",
    "count": r"how many|\bcount\b|number of|多少|个数|数量",
}


def _table_extract(ctx: Context) -> Params:
    from . import tables

    m = _FILE.search(ctx.prose)
    if m is None:
        raise NotMine("name the file, e.g. sales.csv", "请写出文件名，例如sales.csv")
    path = Path(m.group(1))
    if not path.is_file():
        raise NeedMore(f"there is no file {path} in {Path.cwd()}", f"{Path.cwd()}中没有文件{path}")
    columns = tables._header(path)
    prose = ctx.prose.replace(m.group(1), " ")
    written = tables._written(columns, prose)
    group = tables._group_column(columns, prose)
    targets = [c for c in written if c != group]
    all_numbers_used(ctx, 0)
    stats = [k for k, pattern in _TABLE_STATS.items() if ctx.has(pattern)]
    if group is not None:
        if len(targets) > 1 or len(stats) > 1:
            raise NotMine("one statistic of one column per group", "每组只画一列的一个统计量")
        stat = stats[0] if stats else ("count" if not targets else "")
        if not stat or (stat != "count" and not targets):
            raise NotMine("say which statistic of which column", "请说明画哪一列的哪个统计量")
        kind = _kind(ctx, "bar", ("bar", "line"))
        params: Params = {"mode": "group", "group": group, "stat": stat}
        params["column"] = targets[0] if targets else None
    elif len(targets) == 2 and re.search(_AGAINST, prose, re.IGNORECASE):
        kind = _kind(ctx, "scatter", ("scatter", "line"))
        first, second = sorted(targets, key=prose.find)
        against = re.search(rf"{re.escape(first)}.*?(?:{_AGAINST}).*?{re.escape(second)}", prose)
        if against is None:
            raise NotMine("plot one column against another", "请画一列对另一列")
        # "y against x": the first column written goes up the side
        params = {"mode": "xy", "y": first, "x": second}
    elif len(targets) == 1 and not stats:
        kind = _kind(ctx, "hist", ("hist", "line", "bar"))
        params = {"mode": "column", "column": targets[0]}
    else:
        raise NotMine(
            f"name the column to plot: {', '.join(columns)}",
            f"请写出要画的列：{'、'.join(columns)}",
        )
    params.update(path=str(path), kind=kind)
    own_en = (
        "|".join(re.escape(c) for c in columns)
        + "|"
        + tables._OWN_EN
        + "|"
        + _PLOT_EN
        + "|"
        + _KIND_EN
        + r"|against|vs|versus|as|an?|sum|mean|average|avg|max|maximum|min|minimum|largest|"
        r"highest|smallest|lowest|distribution|show|from|with"
        + "".join("|" + re.escape(part) for part in re.split(r"[./]", m.group(1)) if part)
    )
    wide = [re.escape(c) for c in columns if not c.isascii()]
    own_zh = _longest_first(
        _PLOT_ZH,
        _KIND_ZH,
        tables._OWN_ZH,
        r"对|与|和|总和|之和|合计|平均值|平均|最大值|最大|最小值|最小|分布|成|把",
        *wide,
    )
    nothing_left(ctx, own_en, own_zh)
    if _missing("pandas"):
        raise NeedMore("reading tables needs pandas: pip install pandas", "读取表格需要pandas")
    _need_matplotlib()
    return params


def _missing(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is None


def _table_code(params: Params) -> str:
    path = params["path"]
    reader = "read_csv" if path.lower().endswith(".csv") else "read_excel"
    data = f"import pandas as pd\ntable = pd.{reader}({path!r})"
    kind = params["kind"]
    if params["mode"] == "column":
        column = params["column"]
        data += f"\ny = table[{column!r}].dropna()\nx = range(len(y))"
        draw = "ax.hist(y, bins='auto')" if kind == "hist" else _DRAW[kind]
        xlabel, ylabel = (column, "count") if kind == "hist" else ("row", column)
    elif params["mode"] == "xy":
        data += f"\nx, y = table[{params['x']!r}], table[{params['y']!r}]"
        draw, xlabel, ylabel = _DRAW[kind], params["x"], params["y"]
    else:
        group, column, stat = params["group"], params["column"], params["stat"]
        if column is None:
            data += f"\nper_group = table.groupby({group!r}).size()"
        else:
            data += f"\nper_group = table.groupby({group!r})[{column!r}].{stat}()"
        data += "\nx, y = per_group.index.astype(str), per_group.to_numpy()"
        draw = _DRAW[kind]
        xlabel, ylabel = group, f"{stat} of {column}" if column else "rows"
    return _figure_code(data, draw, _table_describe(params)[0], xlabel, ylabel)


def _table_describe(params: Params) -> tuple[str, str]:
    path = params["path"]
    if params["mode"] == "column":
        return (
            f"{params['column']} of {path} ({params['kind']})",
            f"{path}中{params['column']}列的图",
        )
    if params["mode"] == "xy":
        return (
            f"{params['y']} against {params['x']} in {path}",
            f"{path}中{params['y']}对{params['x']}的图",
        )
    what = f"the {params['stat']} of {params['column']}" if params["column"] else "the rows"
    zh = f"{params['column']}的{params['stat']}" if params["column"] else "行数"
    return f"{what} per {params['group']} in {path}", f"{path}中按{params['group']}分组的{zh}"


RECIPES = [
    _recipe(
        "table",
        rf"(?=.*(?:{_PLOT}))(?=.*[a-z0-9_\-]\.(?:csv|xlsx|xls)\b)",
        (
            "make a histogram of the price column in sales.csv",
            "bar chart of total units per region in sales.csv",
            "scatter plot of price against units in sales.csv",
            "plot the units column of sales.csv as a line",
            "plot the average price for each region in sales.csv",
        ),
        (
            "画出sales.csv中price列的直方图",
            "把sales.csv里每个region的units总和画成柱状图",
            "画sales.csv里price对units的散点图",
            "sales.csv 按 region 分组画 price 平均值的柱状图",
            "画一下sales.csv里units的折线图",
        ),
        _table_extract,
        _table_code,
        _table_describe,
        40,
    ),
]
