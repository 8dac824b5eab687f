"""The recipe record, the extraction context, and helpers every recipe family shares."""

from __future__ import annotations

import difflib
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..._lang import in_language
from .._numbers import Number, find_numbers, prepare, template
from .._spans import Bound, Range, find_bound, find_lists, find_range

Params = dict[str, Any]

#: Flags for every pattern run on prose: ASCII semantics make ``\\b`` and ``\\w`` treat Chinese
#: characters as non-word characters, so ``\\bsvc\\b`` matches in ``给SVC调参``.
FLAGS = re.IGNORECASE | re.ASCII | re.DOTALL


class NeedMore(Exception):
    """A recipe matched but the prose lacks something it needs (raised during extraction).

    The planner turns it into a :class:`~aigc_magic.errors.PlanningError` in the prose's
    language; with ``with_help`` it appends the list of things that can be asked.
    """

    def __init__(self, en: str, zh: str, *, with_help: bool = False) -> None:
        super().__init__(en)
        self.en = en
        self.zh = zh
        self.with_help = with_help


@dataclass(frozen=True)
class Recipe:
    """One task the offline planner can plan.

    Attributes
    ----------
    id : str
        ``family.task``, e.g. ``"primes.list"``.
    anchors : str
        A regular expression (case-insensitive) the prose must match for this recipe to be
        chosen: evidence on top of the classifier's similarity, so near-misses are refused.
    examples_en, examples_zh : tuple of str
        Phrasings the matcher is fitted on.
    extract : callable
        ``extract(ctx) -> params``; raises :class:`NeedMore` when something is missing.
    code : callable
        ``code(params) -> str``, the task code.
    summary : callable
        ``summary(params, lang) -> str``, one line.
    answer : callable
        ``answer(params, value, lang) -> str``, the sentence shown with the result.
    demo : str
        A representative prose, with ``demo_namespace()`` the namespace it needs.
    priority : int
        Among recipes of one family that all find their evidence in the prose, the highest
        priority wins: "sum of the primes" is ``primes.sum`` even if ``primes.list`` (whose
        only evidence is "prime") scores higher.
    grid : bool
        Whether the code runs its work on the grid (``backend="aigc"``); False for one exact
        library call with nothing to split (a factorial, a gcd, a derivative).
    decisive : bool
        The anchors alone are enough evidence ("factorial", "第N个质数", "gcd"): the recipe
        is tried before the similarity ranking, highest ``priority`` first, and when it lacks
        something the request is refused rather than handed to a looser recipe (the ordinal
        in "the 10001st prime" must never be read as a bound by ``primes.list``).
    """

    id: str
    anchors: str
    examples_en: tuple[str, ...]
    examples_zh: tuple[str, ...]
    extract: Callable[[Context], Params]
    code: Callable[[Params], str]
    summary: Callable[[Params, str], str]
    answer: Callable[[Params, Any, str], str]
    demo: str
    demo_namespace: Callable[[], dict[str, Any]] | None = None
    priority: int = 0
    decisive: bool = False
    grid: bool = True

    @property
    def family(self) -> str:
        return self.id.split(".")[0]

    @property
    def examples(self) -> tuple[str, ...]:
        return self.examples_en + self.examples_zh

    def anchored(self, text: str) -> bool:
        """Whether ``text`` carries this recipe's evidence words.

        The anchor is compiled only when one of its literal hints is in the text
        (:mod:`._hints`): most anchors of a catalog have nothing to do with a given prose.
        """
        found = _anchor_hints().get(self.anchors)
        if found is not None:
            lower = text.lower()
            if not any(hint in lower for hint in found):
                return False
        return re.search(self.anchors, text, FLAGS) is not None


_HINTS: dict[str, list[str] | None] = {}


def _anchor_hints() -> dict[str, list[str] | None]:
    """Every catalog anchor's literal hints, from the disk cache after the first process."""
    if not _HINTS:
        from ..matcher import cache_dir
        from . import catalog
        from ._hints import cached_hints

        _HINTS.update(cached_hints((r.anchors for r in catalog()), cache_dir()))
    return _HINTS


@dataclass
class Context:
    """What a recipe's ``extract`` reads: the prose prepared once, and where notes go."""

    prose: str
    lang: str
    namespace: Mapping[str, Any] = field(default_factory=dict)
    previous: Params | None = None
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.text = prepare(self.prose)
        self.lower = self.text.lower()
        self.numbers: list[Number] = find_numbers(self.text)
        self.template = template(self.text, self.numbers)

    # -- reading the prose
    def has(self, pattern: str) -> bool:
        return re.search(pattern, self.lower, FLAGS) is not None

    def search(self, pattern: str) -> re.Match[str] | None:
        return re.search(pattern, self.lower, FLAGS)

    def tsearch(self, pattern: str) -> re.Match[str] | None:
        """Search the template (numbers as ``#k#``); use :meth:`num` on the groups."""
        return re.search(pattern, self.template, FLAGS)

    def num(self, k: str | int) -> Any:
        return self.numbers[int(k)].value

    def bound(self) -> Bound | None:
        return find_bound(self.text, self.numbers)

    def range(self) -> Range | None:
        return find_range(self.text, self.numbers)

    def lists(self) -> list[tuple[int, list[Any]]]:
        return find_lists(self.text, self.numbers)

    def number_near(self, words: str, *, after: bool = True, before: bool = True) -> Any:
        """A number written right after (``samples: 1e6``) or before (``1e6 samples``) a word."""
        gap = r"[\s:=为是取了个次的]*(?:of\s+|to\s+|with\s+)?"
        if after and (m := self.tsearch(rf"(?:{words})\s*[=:]\s*#(\d+)#")):
            return self.num(m.group(1))
        if before and (m := self.tsearch(rf"#(\d+)#\s*(?:random\s+)?(?:{words})")):
            return self.num(m.group(1))
        if after and (m := self.tsearch(rf"(?:{words}){gap}#(\d+)#")):
            return self.num(m.group(1))
        return None

    # -- writing down what was assumed
    def note(self, en: str, zh: str) -> None:
        self.notes.append(in_language(self.lang, en, zh))

    def prev(self, key: str, default: Any = None) -> Any:
        return (self.previous or {}).get(key, default)


text = in_language  # the message in the prose's language


# --------------------------------------------------------------------------- limits

_LOWER_ONLY = (
    r"\b(?:after|above|over|greater than|larger than|bigger than|more than|exceeding|"
    r"at least|next|first|beyond|past)\b|大于|超过|以上|之后|高于|至少|下一个|第一个|前"
)


def limits(
    ctx: Context, *, default_start: int, what_en: str, what_zh: str, bare_number: bool = True
) -> Params:
    """``start`` / ``n`` / ``inclusive`` from a range, a bound, or (follow-ups) a bare number.

    Raises
    ------
    NeedMore
        When the prose gives no limit at all.
    """
    rng = ctx.range()
    if rng is not None:
        if not rng.start < rng.stop:
            raise NeedMore(
                f"the range {rng.start} to {rng.stop} is empty; write the smaller number first",
                f"范围{rng.start}到{rng.stop}是空的，请把较小的数写在前面",
            )
        return {"start": int(rng.start), "n": int(rng.stop), "inclusive": rng.inclusive}
    bound = ctx.bound()
    if bound is not None:
        return {"start": default_start, "n": int(bound.value), "inclusive": bound.inclusive}
    ints = [n for n in ctx.numbers if isinstance(n.value, int) and n.value > 1]
    if ctx.has(_LOWER_ONLY):
        raise NeedMore(
            f"give an upper bound to {what_en}, e.g. 'below 10000' or 'from 100 to "
            "200'; 'after', 'above' or 'the first N' are not enough",
            f"请给出{what_zh}的上界，例如“10000以内”或“从100到200”；“大于”“之后”“前N个”不够",
            with_help=True,
        )
    if ctx.previous is not None and ctx.numbers:
        return {
            "start": ctx.prev("start", default_start),
            "n": int(ctx.numbers[-1].value),
            "inclusive": ctx.prev("inclusive", False),
        }
    if bare_number and len(ints) == 1:
        ctx.note(
            f"read {ints[0].value} as an exclusive upper bound",
            f"把{ints[0].value}理解为上界（不含）",
        )
        return {"start": default_start, "n": int(ints[0].value), "inclusive": False}
    raise NeedMore(
        f"say up to which number to {what_en}, e.g. 'below 10000' or 'from 100 to 200'",
        f"请说明{what_zh}的范围，例如“10000以内”或“从100到200”",
        with_help=True,
    )


def note_bound(ctx: Context, params: Params) -> None:
    """Record whether the upper bound is included, since "below" and "up to" differ."""
    n = params["n"]
    if params["inclusive"]:
        ctx.note(f"the upper bound {n} is included", f"上界{n}包含在内")
    else:
        ctx.note(f"the upper bound {n} is excluded", f"上界{n}不包含在内")


def stop_exclusive(params: Params) -> int:
    """The half-open stop for ``range``-style code."""
    return int(params["n"]) + (1 if params["inclusive"] else 0)


def span_en(params: Params) -> str:
    start, n, inclusive = params.get("start"), params["n"], params["inclusive"]
    if start not in (None, 0, 1, 2):
        return f"from {start} to {n}" if inclusive else f"from {start} up to (not incl.) {n}"
    return f"up to {n}" if inclusive else f"below {n}"


def span_zh(params: Params) -> str:
    start, n, inclusive = params.get("start"), params["n"], params["inclusive"]
    if start not in (None, 0, 1, 2):
        return f"{start}到{n}之间" if inclusive else f"{start}到{n}（不含{n}）之间"
    return f"{n}以内" if inclusive else f"小于{n}"


# --------------------------------------------------------------------------- namespace names

_IDENT = re.compile(r"(?<![A-Za-z0-9_])([A-Za-z_][A-Za-z0-9_]*)(?![A-Za-z0-9_])")
_HIDDEN = {"In", "Out", "exit", "quit", "get_ipython", "result"}


def identifiers(prose: str) -> list[str]:
    """ASCII identifiers written in the prose (CJK characters are not part of a name)."""
    return _IDENT.findall(prose)


def is_function(obj: Any) -> bool:
    return callable(obj) and not isinstance(obj, type)


def is_sequence(obj: Any) -> bool:
    """A collection a function can be mapped over."""
    if isinstance(obj, (list, tuple, range)):
        return True
    return _is_array(obj, ndim=1) or _is_series(obj)


def is_numeric_1d(obj: Any) -> bool:
    """A 1-D collection of numbers (a list, tuple, 1-D array or Series)."""
    if isinstance(obj, (list, tuple)):
        return len(obj) > 1 and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in obj[:1000]
        )
    if _is_array(obj, ndim=1):
        return obj.dtype.kind in "iuf"
    return _is_series(obj) and obj.dtype.kind in "iuf"


def is_matrix(obj: Any) -> bool:
    """A 2-D numeric array, a DataFrame, or a list of equally long lists of numbers (the
    rows of features, as scikit-learn takes them)."""
    if _is_array(obj, ndim=2):
        return obj.dtype.kind in "iufb"
    if isinstance(obj, (list, tuple)):
        return (
            len(obj) > 1
            and all(isinstance(r, (list, tuple)) and len(r) == len(obj[0]) > 0 for r in obj)
            and all(isinstance(v, (int, float)) and not isinstance(v, bool) for r in obj for v in r)
        )
    return type(obj).__name__ == "DataFrame" and type(obj).__module__.startswith("pandas")


def is_labels(obj: Any) -> bool:
    """A 1-D array, list or Series (targets)."""
    if isinstance(obj, (list, tuple)):
        return len(obj) > 1
    return _is_array(obj, ndim=1) or _is_series(obj)


def _is_array(obj: Any, *, ndim: int) -> bool:
    np = sys.modules.get("numpy")
    return np is not None and isinstance(obj, np.ndarray) and obj.ndim == ndim


def _is_series(obj: Any) -> bool:
    return type(obj).__name__ == "Series" and type(obj).__module__.startswith("pandas")


def names_of(ctx: Context, fits: Callable[[Any], bool]) -> list[str]:
    """Names written in the prose that exist in the namespace with a fitting type, in order."""
    seen: list[str] = []
    for name in identifiers(ctx.text):
        if name in _HIDDEN or name.startswith("_") or name in seen:
            continue
        if name in ctx.namespace and fits(ctx.namespace[name]):
            seen.append(name)
    return seen


def missing_name(
    ctx: Context, name: str, fits: Callable[[Any], bool], kind_en: str, kind_zh: str
) -> NeedMore:
    """The error for a name the prose uses that the namespace lacks, with close matches."""
    candidates = [
        k
        for k, v in ctx.namespace.items()
        if not k.startswith("_") and k not in _HIDDEN and fits(v)
    ]
    close = difflib.get_close_matches(name, candidates, n=3, cutoff=0.5)
    if not close and len(candidates) <= 5:
        close = sorted(candidates)
    hint_en = f" Did you mean {', '.join(close)}?" if close else ""
    hint_zh = f"您是不是指 {'、'.join(close)}？" if close else ""
    return NeedMore(
        f"the {kind_en} '{name}' is not defined in your namespace; define it first and ask "
        f"again.{hint_en}",
        f"命名空间里没有名为“{name}”的{kind_zh}，请先定义它再提问。{hint_zh}",
    )


def intended_words(ctx: Context, patterns: Iterable[str], stop: set[str]) -> list[str]:
    """Words the prose uses for a role, in order of appearance, stop words left out.

    Each pattern has one group capturing the word (``apply (\\w+)``); every match counts.
    """
    hits: list[tuple[int, str]] = []
    for pattern in patterns:
        for m in re.finditer(pattern, ctx.text, re.ASCII):
            word = m.group(1)
            if word.lower() not in stop and not word.isdigit():
                hits.append((m.start(1), word))
    words: list[str] = []
    for _, word in sorted(hits):
        if word not in words:
            words.append(word)
    return words


def pick_name(
    ctx: Context, fits: Callable[[Any], bool], words: Iterable[str], kind_en: str, kind_zh: str
) -> str | None:
    """The namespace name the prose means for one role (a function, a data array...).

    ``words`` are the words the prose uses for the role (:func:`intended_words`): the first
    one bound to a fitting object wins; one missing from the namespace raises
    :class:`NeedMore` naming it and suggesting close matches. Without such words, the first
    fitting name written anywhere in the prose is used; None when there is none.
    """
    for word in words:
        if word in ctx.namespace:
            if fits(ctx.namespace[word]):
                return word
            continue
        raise missing_name(ctx, word, fits, kind_en, kind_zh)
    found = names_of(ctx, fits)
    return found[0] if found else None
