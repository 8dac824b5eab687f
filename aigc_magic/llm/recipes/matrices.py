"""Linear algebra on given matrices: written out, the notebook's own, or an identity.

"the determinant of M", "[[1,2],[3,4]] 乘以 [[5,6],[7,8]]", "trace of the 10x10 identity
matrix", "A 的逆矩阵", "rank of [[1,2],[2,4]]": one operation (determinant, trace, inverse,
rank, eigenvalues, transpose) of one matrix, or of the product of two, computed exactly by
SymPy when the matrices are small, in floating point by NumPy when they are large. Random
matrices are :mod:`.randomness`'s. Decisive and strict: every number and word of the prose
is used, or the request is refused.
"""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass
from typing import Any

from ._base import Context, NeedMore, Params, Recipe, names_of, text
from ._codegen import fmt
from ._guard import NotMine, Refuse, nothing_left

__all__ = ["RECIPES", "Operand"]

#: Up to this many rows SymPy computes exactly; above it NumPy in floating point.
_EXACT_SIZE = 12
#: Eigenvalues in radicals exist up to degree 4; above it (or with decimals) NumPy's.
_EXACT_EIG = 4
_MAX_SIZE = 5_000

#: The operations, in the order they are looked for; the first one found is the answer.
_OPERATIONS = {
    "det": r"determinant|\bdet\b|行列式",
    "trace": r"\btrace\b|(?<![轨])迹",
    "inverse": r"\binvers|\binvert|\binv\b|逆矩阵|的逆|求逆|逆阵",
    "rank": r"\brank\b|秩",
    "eig": r"eigen|特征值",
    "transpose": r"transpos|转置",
}
_PRODUCT = r"multipl|product|\btimes\b|乘以|相乘|乘积|(?<![乘])乘(?!方|积)|@|(?<=\])\s*\*\s*(?=\[)"
_SPECIAL = {
    "identity": r"identity|\bunit matrix|单位矩阵|单位阵",
    "zeros": r"\bzeros? matrix|matrix of zeros|零矩阵|全零矩阵|全0矩阵",
    "ones": r"\bones matrix|matrix of ones|all-ones|全1矩阵|全一矩阵",
}
_SIZE = (
    r"#(\d+)#\s*(?:x|×|\*|by)\s*#(\d+)#|(?:size|order|dimension)\s*(?:of\s*)?#(\d+)#|"
    r"#(\d+)#\s*(?:阶|维|行\s*#\d+#\s*列)"
)

_OWN_EN = (
    r"matrix|matrices|determinant|det|trace|inverse|invert|inv|rank|eigenvalues?|eigen|values|"
    r"transpose|transposed|product|multiply|multiplied|multiplying|times|by|and|with|identity|"
    r"unit|zeros?|ones|all-ones|size|order|dimension|x|square|its|their|the|of|a|an|what|"
    r"matrix product|result|resulting|then|take|written|given|my|our|notebook|variable"
)
_OWN_ZH = (
    r"单位矩阵|单位阵|全零矩阵|全0矩阵|零矩阵|全1矩阵|全一矩阵|逆矩阵|逆阵|求逆|矩阵|方阵|行列式|迹|逆|秩|"
    r"特征值|转置|乘以|相乘|乘积|乘|阶|维|的|和|与|等于|多少|是|一个|个|再|然后|之后|后|其"
)


@dataclass(frozen=True)
class Operand:
    """One matrix of the prose: written out, a namespace name, or an identity-like one."""

    kind: str  # "literal", "name" or one of _SPECIAL
    value: Any  # the rows, the name, or the size
    size: int

    def sympy(self) -> str:
        if self.kind == "literal":
            return f"Matrix({self.value!r})"
        if self.kind == "name":
            return f"Matrix({self.value})"
        return {"identity": "eye", "zeros": "zeros", "ones": "ones"}[self.kind] + f"({self.size})"

    def numpy(self) -> str:
        if self.kind == "literal":
            return f"np.array({self.value!r}, dtype=float)"
        if self.kind == "name":
            return f"np.asarray({self.value}, dtype=float)"
        call = {"identity": "np.eye", "zeros": "np.zeros", "ones": "np.ones"}[self.kind]
        return f"{call}({self.size})" if self.kind == "identity" else f"{call}(({self.size},) * 2)"


def _rows(value: Any) -> list[list[Any]] | None:
    """``value`` as a rectangular list of numeric rows, or None."""
    np = sys.modules.get("numpy")
    if np is not None and isinstance(value, np.ndarray):
        if value.ndim != 2 or value.dtype.kind not in "iuf":
            return None
        value = value.tolist()
    if not (isinstance(value, (list, tuple)) and value):
        return None
    if not all(isinstance(r, (list, tuple)) and len(r) == len(value[0]) for r in value):
        return None
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for r in value for v in r):
        return None
    return [list(r) for r in value]


def _is_matrix(value: Any) -> bool:
    return _rows(value) is not None


def _literals(ctx: Context) -> tuple[list[Operand], list[tuple[int, int]]]:
    """Matrices written out (``[[1, 2], [3, 4]]``) and where they stand in the text."""
    found: list[Operand] = []
    spans: list[tuple[int, int]] = []
    for m in re.finditer(r"\[\s*\[[^\[\]]*\](?:\s*,\s*\[[^\[\]]*\])*\s*\]", ctx.text):
        try:
            rows = _rows(ast.literal_eval(m.group(0)))
        except (ValueError, SyntaxError):
            rows = None
        if rows is None:
            raise Refuse(
                "write each matrix as rows of numbers, e.g. [[1, 2], [3, 4]]",
                "请把矩阵写成数字的行，例如[[1, 2], [3, 4]]",
                with_help=True,
            )
        found.append(Operand("literal", rows, len(rows)))
        spans.append(m.span())
    return found, spans


def _operands(ctx: Context) -> tuple[list[Operand], int, list[str]]:
    """The prose's matrices in order, how many numbers they used, and the names read."""
    literal, spans = _literals(ctx)
    used = sum(1 for n in ctx.numbers if any(a <= n.start < b for a, b in spans))
    names = names_of(ctx, _is_matrix)
    placed = [(a, o) for (a, _), o in zip(spans, literal, strict=True)]
    for name in names:
        rows = _rows(ctx.namespace[name]) or []
        where = re.search(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])", ctx.text)
        placed.append((where.start() if where else 0, Operand("name", name, len(rows))))
    operands = [o for _, o in sorted(placed, key=lambda p: p[0])]
    specials = [k for k, pattern in _SPECIAL.items() if ctx.has(pattern)]
    if specials:
        if len(specials) > 1 or operands:
            raise Refuse(
                "ask about one identity, zero or ones matrix at a time",
                "请一次只问一个单位矩阵、零矩阵或全1矩阵",
                with_help=True,
            )
        m = ctx.tsearch(_SIZE)
        groups = [g for g in m.groups() if g is not None] if m else []
        sizes = {ctx.num(g) for g in groups}
        if len(sizes) != 1:
            raise Refuse(
                "give the size of the square matrix, e.g. 'the 10x10 identity matrix'",
                "请给出方阵的大小，例如“10阶单位矩阵”",
                with_help=True,
            )
        size = sizes.pop()
        if not isinstance(size, int) or not 1 <= size <= _MAX_SIZE:
            raise NeedMore(f"matrices of size 1 to {_MAX_SIZE}", f"矩阵大小须在1到{_MAX_SIZE}之间")
        operands.append(Operand(specials[0], size, size))
        used += len(groups)
    return operands, used, names


def _extract(ctx: Context) -> Params:
    if ctx.has(r"random|随机|simulat|模拟"):
        raise NotMine("random matrices are another recipe's", "随机矩阵由另一个配方处理")
    operands, used, names = _operands(ctx)
    if not operands:
        raise NotMine(
            "write the matrix as [[1, 2], [3, 4]] or name one of your 2-D arrays",
            "请把矩阵写成[[1, 2], [3, 4]]，或写出命名空间里的一个二维数组",
        )
    ops = [k for k, pattern in _OPERATIONS.items() if ctx.has(pattern)]
    product = ctx.has(_PRODUCT)
    if len(ops) > 1 or (not ops and not product):
        raise Refuse(
            "ask for one of the determinant, trace, inverse, rank, eigenvalues or transpose, "
            "or for the product of two matrices",
            "请只问行列式、迹、逆矩阵、秩、特征值、转置中的一个，或两个矩阵的乘积",
            with_help=True,
        )
    if product != (len(operands) == 2) or len(operands) > 2:
        raise Refuse(
            "give one matrix, or two matrices to multiply",
            "请给出一个矩阵，或两个要相乘的矩阵",
            with_help=True,
        )
    if len(ctx.numbers) != used:
        raise Refuse(
            "every number must belong to a matrix or its size; say what the others are for",
            "每个数字都应属于矩阵或它的大小；请说明其余数字的用途",
            with_help=True,
        )
    own = "|".join([_OWN_EN, *(re.escape(n.lower()) for n in names)])
    end = None
    if ops == ["eig"]:  # "the largest eigenvalue": one end of the real spectrum
        ends = [k for k, (en, zh) in _EIG_ENDS.items() if ctx.has(rf"\b(?:{en})\b|{zh}")]
        if len(ends) > 1:
            raise Refuse(
                "ask for the largest or the smallest eigenvalue, one at a time",
                "请分别问最大或最小的特征值",
                with_help=True,
            )
        end = ends[0] if ends else None
        own += "|" + "|".join(en for en, _ in _EIG_ENDS.values())
    nothing_left(ctx, own, "|".join(zh for _, zh in _EIG_ENDS.values()) + "|" + _OWN_ZH)
    first = operands[0]
    if product:
        second = operands[1]
        if first.kind != "name" and second.kind != "name":
            cols = len(first.value[0]) if first.kind == "literal" else first.size
            if cols != second.size:
                raise NeedMore(
                    f"a {first.size}-row matrix with {cols} columns cannot multiply one with "
                    f"{second.size} rows",
                    f"第一个矩阵有{cols}列，第二个有{second.size}行，不能相乘",
                )
    op = ops[0] if ops else "product"
    op = f"eig_{end}" if end else op
    square_needed = op in {"det", "trace", "inverse", "eig", "eig_max", "eig_min"}
    literal_square = first.kind != "literal" or len(first.value) == len(first.value[0])
    if square_needed and not product and not literal_square:
        raise NeedMore("that needs a square matrix", "这需要一个方阵")
    exact_limit = _EXACT_EIG if op.startswith("eig") else _EXACT_SIZE
    whole = all(
        isinstance(v, int) for o in operands if o.kind == "literal" for r in o.value for v in r
    )
    big = (
        max(o.size for o in operands) > exact_limit
        or (op.startswith("eig") and not whole)
        or any(
            o.kind == "name" and type(ctx.namespace[o.value]).__module__ == "numpy"
            for o in operands
        )
    )
    if names:
        ctx.note(
            f"the matrix {' and '.join(names)} from your namespace",
            f"用了命名空间里的矩阵 {'、'.join(names)}",
        )
    ctx.note(
        "in floating point (NumPy)" if big else "exact (SymPy)",
        "浮点计算（NumPy）" if big else "精确计算（SymPy）",
    )
    return {
        "operands": [(o.kind, o.value, o.size) for o in operands],
        "op": op,
        "product": product,
        "exact": not big,
    }


_SYMPY_OP = {
    "det": "m.det()",
    "trace": "m.trace()",
    "inverse": "m.inv()",
    "rank": "m.rank()",
    "eig": "sorted(m.eigenvals(multiple=True), key=lambda v: (sympy.re(v), sympy.im(v)))",
    "transpose": "m.T",
    "product": "m",
    "eig_max": "_aigc_real_end(m.eigenvals(multiple=True), max)",
    "eig_min": "_aigc_real_end(m.eigenvals(multiple=True), min)",
}
_NUMPY_OP = {
    "det": "float(np.linalg.det(m))",
    "trace": "float(np.trace(m))",
    "inverse": "np.linalg.inv(m).tolist()",
    "rank": "int(np.linalg.matrix_rank(m))",
    "eig": "sorted(np.linalg.eigvals(m).tolist(), key=lambda v: (v.real, v.imag))",
    "transpose": "m.T.tolist()",
    "product": "m.tolist()",
    "eig_max": "_aigc_real_end(np.linalg.eigvals(m).tolist(), max)",
    "eig_min": "_aigc_real_end(np.linalg.eigvals(m).tolist(), min)",
}
#: "the largest / smallest eigenvalue": (English, Chinese words).
_EIG_ENDS = {
    "max": (r"largest|biggest|greatest|maximum|max|highest|top", r"最大的|最大"),
    "min": (r"smallest|least|minimum|min|lowest", r"最小的|最小"),
}
_REAL_END = '''

def _aigc_real_end(values, end):
    """The largest or smallest of real eigenvalues; complex ones have no order."""
    if any(abs(complex(v).imag) > 1e-12 for v in values):
        raise ValueError("the eigenvalues are complex: they have no largest or smallest")
    return end(values, key=lambda v: complex(v).real)
'''

_SYMPY_CODE = '''import sympy
from sympy import Matrix, eye, ones, zeros


def _aigc_plain(value):
    """An exact SymPy value as plain Python: int, float, complex, or lists of them."""
    if isinstance(value, sympy.MatrixBase):
        return [[_aigc_plain(v) for v in row] for row in value.tolist()]
    if isinstance(value, list):
        return [_aigc_plain(v) for v in value]
    value = sympy.sympify(value)
    if value.is_integer:
        return int(value)
    return float(value) if value.is_real else complex(value)


def _aigc_matrix():
    """Computed exactly by SymPy, answered as plain numbers."""
    m = {M}
    return _aigc_plain({OP})


result = _aigc_matrix()
'''

_NUMPY_CODE = '''import numpy as np


def _aigc_matrix():
    """Computed in floating point by NumPy."""
    m = {M}
    return {OP}


result = _aigc_matrix()
'''


def _code(params: Params) -> str:
    ops = [Operand(kind, value, size) for kind, value, size in params["operands"]]
    exact = params["exact"]
    parts = [o.sympy() if exact else o.numpy() for o in ops]
    matrix = " * ".join(parts) if exact else " @ ".join(parts)
    template = _SYMPY_CODE if exact else _NUMPY_CODE
    if params["op"].startswith("eig_"):
        template = template.replace("\n\ndef _aigc_matrix", _REAL_END + "\n\ndef _aigc_matrix")
    return template.format(M=matrix, OP=(_SYMPY_OP if exact else _NUMPY_OP)[params["op"]])


_WHAT = {
    "det": ("The determinant", "行列式"),
    "trace": ("The trace", "迹"),
    "inverse": ("The inverse", "逆矩阵"),
    "rank": ("The rank", "秩"),
    "eig": ("The eigenvalues", "特征值"),
    "eig_max": ("The largest eigenvalue", "最大特征值"),
    "eig_min": ("The smallest eigenvalue", "最小特征值"),
    "transpose": ("The transpose", "转置"),
    "product": ("The product", "乘积"),
}


def _summary(params: Params, lang: str) -> str:
    en, zh = _WHAT[params["op"]]
    of_product = params["product"] and params["op"] != "product"
    return text(
        lang,
        f"{en} of {'the product of two matrices' if of_product else 'the matrix'}",
        f"{'两个矩阵乘积的' if of_product else '矩阵的'}{zh}",
    )


def _answer(params: Params, value: Any, lang: str) -> str:
    shown = fmt(value) if isinstance(value, (int, float)) else str(value)
    return text(lang, f"{_summary(params, lang)}: {shown}.", f"{_summary(params, lang)}：{shown}。")


RECIPES = [
    Recipe(
        id="matrix.exact",
        anchors=(
            r"matri|矩阵|方阵|\[\s*\[|determinant|行列式|eigenval|特征值|\btrace\b|"
            r"\binverse\b|逆矩阵|transpos|转置|相乘|乘以|multipl|\btimes\b|product"
        ),
        examples_en=(
            "determinant of [[2, 1], [1, 3]]",
            "what is the determinant of M",
            "trace of the 10x10 identity matrix",
            "multiply [[1, 2], [3, 4]] by [[5, 6], [7, 8]]",
            "the inverse of [[4, 7], [2, 6]]",
            "rank of the matrix [[1, 2], [2, 4]]",
            "eigenvalues of A",
            "transpose of [[1, 2, 3], [4, 5, 6]]",
            "matrix product of A and B",
            "the determinant of the product of A and B",
            "eigenvalues of [[2, 1], [1, 2]]",
            "det of [[1, 2], [3, 4]]",
        ),
        examples_zh=(
            "算一下矩阵 M 的行列式",
            "矩阵 [[1,2],[3,4]] 乘以 [[5,6],[7,8]] 等于多少",
            "10阶单位矩阵的迹",
            "求 A 的逆矩阵",
            "矩阵 [[1, 2], [2, 4]] 的秩",
            "A 的特征值是多少",
            "[[1, 2, 3], [4, 5, 6]] 的转置",
            "A 和 B 相乘",
            "矩阵A乘以矩阵B的行列式",
            "求矩阵 [[2, 0], [0, 3]] 的行列式",
            "矩阵[[2, 1], [1, 2]]的特征值",
            "[[4, 3], [6, 3]]的行列式",
        ),
        extract=_extract,
        code=_code,
        summary=_summary,
        answer=_answer,
        demo="determinant of [[2, 1], [1, 3]]",
        priority=16,
        decisive=True,
        grid=False,
    )
]
