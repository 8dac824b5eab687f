"""Plain arithmetic, exactly: "what is 123 * 456", "2**10 - 1", "(3+4)*5", "17 mod 5", "7/3".

The prose must be one expression of numbers and ``+ - * / // % ** ^ ( )`` (or the words
"plus", "minus", "times", "divided by", "mod", "squared", "加", "减", "乘以", "除以", "的平方"),
with nothing else than filler around it ("what is", "计算", "等于多少"). It is read into a
Python syntax tree at plan time, only numbers and those operators allowed, and computed by
SymPy with exact integers and rationals ("7/3" is 7/3, answered as 2.33333 with the exact
fraction in the sentence). Powers are bounded so the answer stays printable.
"""

from __future__ import annotations

import ast
import math
import re
from fractions import Fraction
from typing import Any

from ._base import Context, Params, Recipe, text
from ._codegen import fmt
from ._guard import NotMine, Refuse, nothing_left

__all__ = ["RECIPES"]

#: Word operators, longest first, and the symbol each stands for.
_WORDS = (
    (r"(\d+)\s*的\s*阶乘", r"\1!"),  # 10的阶乘除以8的阶乘
    # a remainder: "7的222次方除以11，余数是多少", "the remainder when 2^100 is divided by 7"
    (r"除以\s*(\d+)\s*[,，]?\s*(?:的)?\s*余数", r"% \1"),
    (r"对\s*(\d+)\s*取(?:模|余)", r"% \1"),
    (r"(?<![a-z])模\s*(?=\d)", "%"),
    (
        r"\bthe remainder (?:when|of)\s+([\d\s^*+\-()!]*\d!?)\s+(?:is\s+)?divided by\s+(\d+)",
        r"\1 % \2",
    ),
    # "the last 3 digits of 3^200": the remainder by 10**3
    (r"\blast\s+(\d+)\s+digits\s+of\s+([\d\s^*+\-()!]*\d!?)", r"(\2) % 10 ** \1"),
    (r"\bto the power of\b|\braised to(?: the power of)?\b", "**"),
    (r"\bmultiplied by\b|\btimes\b", "*"),
    (r"\bdivided by\b", "/"),
    (r"\bmodulo\b|\bmod\b", "%"),
    (r"\bplus\b", "+"),
    (r"\bminus\b", "-"),
    (r"\bsquared\b", "**2"),
    (r"\bcubed\b", "**3"),
    (r"的\s*(\d+)\s*次(?:方|幂)", r"**\1"),
    (r"的\s*平方", "**2"),
    (r"的\s*立方", "**3"),
    (r"乘以|乘上|乘", "*"),
    (r"除以", "/"),
    (r"加上|加", "+"),
    (r"减去|减", "-"),
    (r"×", "*"),
    (r"÷", "/"),
    (r"\^", "**"),
)
_EXPRESSION = re.compile(r"[\d.\s+\-*/%()]*\d[\d.\s+\-*/%()!]*")
_OPERATOR = re.compile(r"\d\s*!?\s*\)?\s*(?:\*\*|//|[+\-*/%])\s*\(?\s*-?\s*[\d(]")
_MAX_EXPONENT = 10_000
#: "don't want a decimal", "as a fraction", "不要小数": an exact fraction, never a float.
_NO_DECIMAL = (
    r"(?:i )?do ?n[o'’]?t want (?:a |any )?decimals?|no decimals?|not (?:as )?a decimal|"
    r"without decimals?|as an? (?:exact )?fraction|不要小数|不用小数|用分数表示|分数形式|写成分数"
)
_MAX_DIGITS = 4_000
_OPS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow)


def _symbols(text: str) -> str:
    for pattern, symbol in _WORDS:
        text = re.sub(pattern, f" {symbol} ", text, flags=re.IGNORECASE)
    return text


#: "30!" and "(5)!": a factorial, written right after its number.
_FACTORIAL = re.compile(r"(\d+)!(?!=)")
_MAX_FACTORIAL = 2_000


def _factorials(source: str) -> str:
    """``30! / 28!`` as ``factorial(30) / factorial(28)``.

    A lone ``!`` ending the prose ("what is 5 * 3!") may be an exclamation: it is read as
    a factorial only when the expression has another factorial, otherwise it is refused.
    """
    found = list(_FACTORIAL.finditer(source))
    if len(found) == 1 and not source[found[0].end() :].strip():
        raise NotMine(
            "a '!' at the end may be an exclamation: write 'factorial(3)' or '3! * 5'",
            "末尾的“!”可能只是感叹号：请写成“3的阶乘”或“3! * 5”",
        )
    return _FACTORIAL.sub(r"factorial(\1)", source)


def _checked(node: ast.AST) -> float:
    """The rough size (log10 of the magnitude) of a vetted expression; raises on anything else."""
    if isinstance(node, ast.Expression):
        return _checked(node.body)
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        if isinstance(node.value, bool):
            raise NotMine("not plain arithmetic", "不是单纯的算术")
        return len(str(abs(node.value)))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        return _checked(node.operand)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "factorial"
        and len(node.args) == 1
        and not node.keywords
        and isinstance(node.args[0], ast.Constant)
        and type(node.args[0].value) is int
    ):
        n = node.args[0].value
        if not 0 <= n <= _MAX_FACTORIAL:
            raise Refuse(f"factorials up to {_MAX_FACTORIAL}! only", f"阶乘最多到{_MAX_FACTORIAL}!")
        return math.lgamma(n + 1) / math.log(10) + 1
    if isinstance(node, ast.BinOp) and isinstance(node.op, _OPS):
        left, right = _checked(node.left), _checked(node.right)
        if isinstance(node.op, ast.Pow):
            exponent = node.right
            if not (isinstance(exponent, ast.Constant) and isinstance(exponent.value, int)):
                raise Refuse("write whole-number powers, e.g. 2**100", "请写整数次幂，例如2**100")
            if abs(exponent.value) > _MAX_EXPONENT:
                raise Refuse(f"powers up to {_MAX_EXPONENT} only", f"指数最多为{_MAX_EXPONENT}")
            return left * max(1, abs(exponent.value))
        return left + right if isinstance(node.op, ast.Mult) else max(left, right) + 1
    raise NotMine("not plain arithmetic", "不是单纯的算术")


def _exact(node: ast.AST) -> Fraction | None:
    """The value as a fraction (None on a division by zero), for a vetted small expression."""
    if isinstance(node, ast.Constant):
        return Fraction(str(node.value))
    if isinstance(node, ast.Call):  # factorial(n), vetted by _checked
        arg = node.args[0]
        assert isinstance(arg, ast.Constant) and isinstance(arg.value, int)
        return Fraction(math.factorial(arg.value))
    if isinstance(node, ast.UnaryOp):
        inner = _exact(node.operand)
        return None if inner is None else (-inner if isinstance(node.op, ast.USub) else inner)
    assert isinstance(node, ast.BinOp)
    left, right = _exact(node.left), _exact(node.right)
    if left is None or right is None:
        return None
    if isinstance(node.op, (ast.Div, ast.FloorDiv, ast.Mod)) and right == 0:
        return None
    if isinstance(node.op, ast.Pow):
        if left == 0 and right < 0:
            return None
        if abs(right) > 64:  # large powers: only their zero-division matters, not the value
            return left
        return left ** int(right)
    op = {ast.Add: left.__add__, ast.Sub: left.__sub__, ast.Mult: left.__mul__}
    if type(node.op) in op:
        return op[type(node.op)](right)
    if isinstance(node.op, ast.Div):
        return left / right
    return Fraction(left // right) if isinstance(node.op, ast.FloorDiv) else left % right


def _extract(ctx: Context) -> Params:
    spoken = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", _symbols(ctx.text))  # 1,000
    runs = list(_EXPRESSION.finditer(spoken))  # every number must be in the one expression
    if len(runs) != 1 or not _OPERATOR.search(runs[0].group(0)):
        raise NotMine("write one arithmetic expression", "请写出一个算式")
    run = runs[0]
    source = _factorials(" ".join(run.group(0).split()).replace(" !", "!"))
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError:
        raise NotMine("not an arithmetic expression", "不是一个算式") from None
    if _checked(tree) > _MAX_DIGITS:
        raise Refuse(
            f"the result would have more than {_MAX_DIGITS} digits",
            f"结果会超过{_MAX_DIGITS}位",
        )
    if _exact(tree.body) is None:
        raise Refuse("that divides by zero", "这里除以了零")
    fraction = ctx.has(_NO_DECIMAL)
    nothing_left(
        ctx,
        r"to the power of|raised to|the power of|power|multiplied by|times|divided by|modulo|"
        r"mod|plus|minus|squared|cubed|by|of|what|is|equals?|=|calculate|compute|evaluate|"
        r"simplify|result|remainder|when|last|digits|i\.e|ie|" + _NO_DECIMAL,
        r"乘以|乘上|乘|除以|加上|加|减去|减|的平方|的立方|平方|立方|次方|次幂|等于|多少|是|算式|结果|%|"
        r"余数|取模|取余|模|的阶乘|阶乘|" + _NO_DECIMAL,
    )
    clean = ast.unparse(tree)
    ctx.note(f"read as {clean}, computed exactly", f"理解为 {clean}，精确计算")
    if fraction:
        ctx.note("a fraction, never a decimal", "结果为分数，不写成小数")
        return {"expression": clean, "fraction": True}
    return {"expression": clean}


def _code(params: Params) -> str:
    return (
        "import sympy\n\n\n"
        "def _aigc_arithmetic():\n"
        '    """Exact integers and fractions (SymPy), answered as an int or a float."""\n'
        f"    value = sympy.sympify({params['expression']!r}, rational=True)\n"
        + (
            "    return int(value) if value.is_integer else str(value)  # a fraction\n\n\n"
            if params.get("fraction")
            else "    return int(value) if value.is_integer else float(value)\n\n\n"
        )
        + "result = _aigc_arithmetic()\n"
    )


def _summary(params: Params, lang: str) -> str:
    return text(lang, f"Compute {params['expression']}", f"计算 {params['expression']}")


def _answer(params: Params, value: Any, lang: str) -> str:
    return text(
        lang,
        f"{params['expression']} = {fmt(value)}.",
        f"{params['expression']} = {fmt(value)}。",
    )


RECIPES = [
    Recipe(
        id="exact.arithmetic",
        anchors=(
            r"\d\s*!?\s*\)?\s*(?:\*\*|//|[-+*/%^×÷]|plus|minus|times|multiplied|divided|mod|"
            r"squared|cubed|乘|除以|加|减|的平方|的立方|to the power|raised|次方|次幂|模|"
            r"对\s*\d+\s*取|的阶乘\s*(?:乘|除|加|减))|"
            r"\blast\s+\d+\s+digits\s+of\s+\d"
        ),
        examples_en=(
            "what is 123 * 456",
            "compute 2**10 - 1",
            "(3 + 4) * 5",
            "17 mod 5",
            "what's 7 divided by 3",
            "12 squared plus 5",
            "30! / 28!",
            "the remainder when 2^100 is divided by 7",
            "last 3 digits of 3^200",
        ),
        examples_zh=(
            "12345 * 6789 等于多少",
            "计算 (1+2)*3",
            "100除以8等于多少",
            "3的平方加4的平方",
            "2的10次方减1",
            "算一下 15 乘以 16",
            "7的222次方除以11的余数",
            "10的阶乘除以8的阶乘",
        ),
        extract=_extract,
        code=_code,
        summary=_summary,
        answer=_answer,
        demo="what is 123 * 456",
        priority=9,  # after exact.power (10), whose answer a single power is
        decisive=True,
        grid=False,
    )
]
