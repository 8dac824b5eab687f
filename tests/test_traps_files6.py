"""Traps for tables asked the way newcomers ask (round 9): Chinese file names, columns named
by a Chinese word (温度 for temp), "表头不算", 平均分, "总金额", and "which product has the
biggest total qty". Each is answered exactly, checked against pandas on the same table, or
refused: a wrong column, statistic, grouping or end of the order is never given.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import aigc_magic
from aigc_magic.errors import PlanningError
from aigc_magic.llm.offline import OfflinePlanner

pd = pytest.importorskip("pandas")


def ask(prose: str) -> Any:
    return aigc_magic.ask(prose, namespace={}, planner="offline", safety="strict").value


def refused(prose: str) -> str:
    with pytest.raises(PlanningError) as info:
        OfflinePlanner().plan(prose, {})
    return str(info.value)


_ORDERS = "product,qty\nwidget,5\ngadget,12\ndoohickey,3\nwidget,8\ngadget,4\nwidget,4\n"
_PEOPLE = "name,age,city\nAnn,34,Oslo\nBob,28,Rome\nCid,45,Oslo\nDee,51,Lima\nEve,23,Rome\n"
_TEMPS = "day,temp\n1,-3.5\n2,-1.2\n3,0.4\n4,2.8\n5,-6.1\n"
_EXPENSES = "category,amount\nfood,23.5\nrent,1200.0\nfood,41.25\ntravel,310.0\n"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name, content in {
        "orders.csv": _ORDERS,
        "people.csv": _PEOPLE,
        "temps.csv": _TEMPS,
        "expenses.csv": _EXPENSES,
    }.items():
        (tmp_path / name).write_text(content, "utf-8")
    return tmp_path


def _frame(folder: Path, name: str) -> Any:
    return pd.read_csv(folder / name)


@pytest.mark.slow
@pytest.mark.parametrize(
    "prose, expected",
    [
        ("in orders.csv, which product has the biggest total qty?", "widget"),  # 17 against 16
        ("orders.csv: which product has the smallest total qty", "doohickey"),
        ("which product has the highest average qty in orders.csv", "gadget"),
        ("orders.csv 里哪个 product 的 qty 总和最大", "widget"),
        ("people.csv 里哪个城市的平均年龄最高", "Lima"),
        ("which city has the lowest average age in people.csv", "Rome"),
        ("which name has the highest age in people.csv", "Dee"),  # one row per name
    ],
)
def test_which_key_has_the_largest_aggregate(folder: Path, prose: str, expected: str) -> None:
    assert ask(prose) == expected


def test_the_expected_keys_are_what_pandas_says(folder: Path) -> None:
    orders = _frame(folder, "orders.csv").groupby("product")["qty"]
    assert orders.sum().idxmax() == "widget" and orders.sum().idxmin() == "doohickey"
    assert orders.mean().idxmax() == "gadget"
    people = _frame(folder, "people.csv").groupby("city")["age"].mean()
    assert people.idxmax() == "Lima" and people.idxmin() == "Rome"


@pytest.mark.slow
def test_a_tie_gives_every_key(folder: Path) -> None:
    (folder / "tie.csv").write_text("k,v\na,1\nb,2\nc,2\n", "utf-8")
    assert ask("which k has the largest total v in tie.csv") == ["b", "c"]


@pytest.mark.parametrize(
    "prose",
    [
        "which product has the biggest qty in orders.csv",  # total or single row? repeats
        "which product has the total qty in orders.csv",  # no end of the order
        "which product has the biggest total qty and the smallest average qty in orders.csv",
        "which city has the most people in people.csv",  # a count of rows, not asked of a column
        "temps.csv 里最低温度的日期",  # another column's value on that row
        "which is the biggest qty in orders.csv",  # which what?
    ],
)
def test_which_is_refused_when_not_exact(folder: Path, prose: str) -> None:
    refused(prose)


@pytest.mark.slow
@pytest.mark.parametrize(
    "prose, expected",
    [
        ("temps.csv 里最低温度是多少", -6.1),
        ("temps.csv 里最低的温度是多少度", -6.1),
        ("temps.csv 里最高温度是多少", 2.8),
        ("temps.csv 里温度的平均值", pytest.approx(-1.52)),
        ("people.csv 的平均年龄", pytest.approx(36.2)),
        ("people.csv 里年龄的中位数", 34),
        ("expenses.csv 里金额的总和", pytest.approx(1574.75)),
        (
            "统计一下 expenses.csv 中每个 category 的总金额",
            {"food": 64.75, "rent": 1200.0, "travel": 310.0},
        ),
        ("expenses.csv 每个category的总金额", {"food": 64.75, "rent": 1200.0, "travel": 310.0}),
        ("people.csv 里每个城市的平均年龄", {"Lima": 51.0, "Oslo": 39.5, "Rome": 25.5}),
        ("sales.csv 一共有多少行数据？（表头不算）", 3),
        ("sales.csv 有多少行数据（表头不算）", 3),
        ("highest score in the math column of scores.xlsx?", 97),
        ("what's the biggest value in the math column of scores.xlsx", 97),
        ("lowest score in the math column of scores.xlsx", 66),
        ("成绩.xlsx 里每个班级的数学平均分分别是多少", {"一班": 77.5, "二班": 90.0}),
        ("在成绩.xlsx里每个班级的数学最高分", {"一班": 85, "二班": 92}),
        ("成绩.xlsx 里数学的平均分", pytest.approx(83.75)),
    ],
)
def test_chinese_words_and_files(folder: Path, prose: str, expected: Any) -> None:
    pytest.importorskip("openpyxl")
    (folder / "sales.csv").write_text("date,units\nd1,3\nd2,4\nd3,5\n", "utf-8")
    pd.DataFrame({"student": list("abc"), "math": [66, 97, 88]}).to_excel(
        folder / "scores.xlsx", index=False
    )
    pd.DataFrame(
        {"姓名": list("abcd"), "班级": ["一班", "二班", "一班", "二班"], "数学": [85, 92, 70, 88]}
    ).to_excel(folder / "成绩.xlsx", index=False)
    assert ask(prose) == expected


@pytest.mark.parametrize(
    "prose",
    [
        "sales.csv 有多少行（表头也算）",  # the header is never a row
        "sales.csv 里销量的总和",  # 销量: sales or units? both are columns
        "people.csv 里体重的平均值",  # no weight column
        "temps.csv 里最低温度是多少，再加1",
    ],
)
def test_a_chinese_word_is_refused_when_not_one_column(folder: Path, prose: str) -> None:
    (folder / "sales.csv").write_text("date,sales,units\nd1,3,1\nd2,4,2\n", "utf-8")
    refused(prose)


def test_mean_is_never_the_median_and_max_never_the_min(folder: Path) -> None:
    assert OfflinePlanner().plan("temps.csv 里最低温度是多少", {}).params["op"] == "min"
    assert OfflinePlanner().plan("temps.csv 里最高温度是多少", {}).params["op"] == "max"
    assert OfflinePlanner().plan("people.csv 里年龄的中位数", {}).params["op"] == "median"
    assert OfflinePlanner().plan("people.csv 的平均年龄", {}).params["op"] == "mean"
    p = OfflinePlanner().plan("which city has the lowest average age in people.csv", {})
    assert (p.params["op"], p.params["agg"], p.params["group"]) == ("argmin", "mean", "city")
