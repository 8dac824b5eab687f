"""The embedded offline planner: prose in English or Chinese to task code, with no network.

How a prose becomes a plan:

1. **Guards** (:mod:`.offline_guards`). Empty prose, and anything destructive ("delete all
   files", "删除所有文件", "rm -rf /", "kill all processes"), is refused before any matching,
   whatever words it shares with a recipe. Concept questions with nothing to compute ("what
   is a prime number?") are refused too.
2. **Matching.** Numbers are masked (``"primes below 10000"`` and ``"primes below 50"`` read
   alike) and the prose is compared with every catalog phrasing by cosine similarity of TF-IDF
   vectors over character n-grams (``char_wb``, 1 to 3 characters; :mod:`.matcher`, NumPy
   only), which needs no Chinese tokenizer. A recipe's score is its best-matching
   phrasing's similarity (nearest neighbour).
   We chose nearest neighbours over a linear classifier because the score is then a
   similarity with a fixed meaning, which is what a rejection threshold needs; a classifier's
   probabilities spread over ~20 classes are flat and shift whenever a recipe is added. The
   catalog also holds *reject* phrasings (chit-chat, weather, poems, concept questions):
   prose nearest to one of those is refused.
3. **Rejection threshold**, chosen from the catalog alone by leave-one-out: every catalog
   phrasing is matched against all the others, and the threshold is the 5th percentile of
   the score each phrasing gets from its own recipe, so about 95% of unseen phrasings as
   close to the catalog as the catalog is to itself are accepted. It is computed when the
   model is fitted (see :attr:`OfflinePlanner.threshold`), never tuned on test prose.
4. **Evidence.** The chosen recipe must also find its own words in the prose (its
   ``anchors``: "prime"/"质数" for primes, a grid-search word and a model for grid search...),
   so a prose that is merely similar in shape is refused rather than guessed.
5. **Parameters** are then read from the prose (:mod:`aigc_magic.llm._numbers`,
   :mod:`aigc_magic.llm._spans` and the recipe's own extraction); a missing parameter or
   namespace name is reported, never guessed.

The catalog is vectorised on the first :meth:`OfflinePlanner.plan` call (a few milliseconds,
no scikit-learn) and cached for the process.
"""

from __future__ import annotations

import dataclasses
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from .._lang import detect_language
from ..errors import PlanningError
from . import _numbers, matcher
from ._numbers import find_numbers, mask_numbers, prepare
from .matcher import Matcher, cached_fit
from .names import names_in_code, substitute_numbers
from .offline_guards import (
    CONCEPT,
    DATA,
    DESTRUCTIVE,
    FOLLOWUP,
    NEGATIVE_EXAMPLES,
    NETWORK,
    REPEAT,
)
from .offline_help import help_text
from .plan import TaskPlan
from .recipes import Context, NeedMore, NotMine, Recipe, Refuse, catalog
from .recipes._guard import FILLER_EN
from .typos import correct

__all__ = ["NEGATIVE_EXAMPLES", "REJECT", "OfflinePlanner", "normalise", "recipes_catalog"]

REJECT = "_reject"


#: A request restated in other words: "…, i.e. …", "… — that is …", "……，也就是……".
_RESTATED = re.compile(
    r"\s*(?:[—–]+|--|[,;:(（，；：])?\s*(?:\bi\.\s?e\.?|\bie\b|\bthat is(?: to say)?\b|"
    r"\bin other words\b)\s*[,:]?\s*|"
    r"\s*[，,；;—]?\s*(?:也就是说|也就是|换句话说|换言之)\s*[，,：:]?\s*",
    re.IGNORECASE,
)


def _same_task(a: TaskPlan, b: TaskPlan) -> bool:
    """Whether two plans compute the same thing: one recipe with the same parameters, or two
    exact expressions SymPy finds equal (``3 ** 200 % 10 ** 3`` and ``3 ** 200 % 1000``)."""
    if a.recipe != b.recipe:
        return False
    if a.params == b.params:
        return True
    if a.recipe == "exact.arithmetic" and set(a.params) == set(b.params) == {"expression"}:
        import sympy

        try:
            return bool(
                sympy.sympify(a.params["expression"]) == sympy.sympify(b.params["expression"])
            )
        except (sympy.SympifyError, TypeError, ValueError):
            return False
    return False


def _help(lang: str, reason: str) -> str:
    """The refusal message (:func:`.offline_help.help_text`)."""
    return help_text(lang, reason)


def _refuse(lang: str, en: str, zh: str, *, with_help: bool = True) -> PlanningError:
    reason = zh if lang == "zh" else en
    return PlanningError(_help(lang, reason) if with_help else reason)


def _refuse_need(lang: str, need: NeedMore) -> PlanningError:
    reason = need.zh if lang == "zh" else need.en[0].upper() + need.en[1:]
    if lang == "en" and not reason.endswith((".", "?")):
        reason += "."
    return _refuse(lang, reason, reason, with_help=need.with_help)


def normalise(prose: str) -> str:
    """What the matcher sees: numbers masked, lower case, whitespace collapsed."""
    return " ".join(mask_numbers(prose).lower().split())


# --------------------------------------------------------------------------- the matcher

_lock = threading.Lock()
_fitted: Matcher | None = None


def _fit() -> Matcher:
    """The catalog's matcher, once per process (:func:`.matcher.cached_fit`)."""
    global _fitted
    with _lock:
        if _fitted is None:
            recipes = catalog()
            key = [f"{r.id}\t{e}" for r in recipes for e in r.examples]
            key += [f"{REJECT}\t{e}" for e in NEGATIVE_EXAMPLES]
            key += [
                Path(module.__file__).read_text("utf-8")
                for module in (_numbers, matcher)
                if module.__file__
            ]
            _fitted = cached_fit(key, _catalog_texts, ignore=frozenset({REJECT}))
    return _fitted


def _catalog_texts() -> tuple[list[str], list[str]]:
    """Every catalog phrasing, normalised, with its recipe id (or :data:`REJECT`)."""
    texts: list[str] = []
    labels: list[str] = []
    for recipe in catalog():
        for example in recipe.examples:
            texts.append(normalise(example))
            labels.append(recipe.id)
    for example in NEGATIVE_EXAMPLES:
        texts.append(normalise(example))
        labels.append(REJECT)
    return texts, labels


def _known_words() -> list[str]:
    """Texts whose words the typo reader knows (:func:`.typos.correct`)."""
    return [*(e for r in catalog() for e in r.examples), *NEGATIVE_EXAMPLES, FILLER_EN]


def _column_words(prose: str) -> set[str]:
    from .recipes.tables import column_words

    return column_words(prose)


def _rank(prose: str) -> list[tuple[str, float]]:
    """Every label with its best similarity to the prose, best first."""
    return _fit().rank(normalise(prose))


# --------------------------------------------------------------------------- the planner


def recipes_catalog() -> list[Recipe]:
    """Every recipe the offline planner knows, in a fixed order."""
    return catalog()


class OfflinePlanner:
    """Plan compute tasks from prose with an embedded recipe catalog (no network).

    Examples
    --------
    >>> plan = OfflinePlanner().plan("计算10000以内的所有质数")
    >>> plan.recipe, plan.params["n"], plan.language
    ('primes.list', 10000, 'zh')
    """

    source = "offline"

    def __init__(self) -> None:
        self._recipes = {r.id: r for r in catalog()}

    @property
    def threshold(self) -> float:
        """The rejection threshold picked by leave-one-out on the catalog (fits if needed)."""
        return _fit().threshold

    @property
    def recipes(self) -> list[Recipe]:
        return list(self._recipes.values())

    # -- planning
    def plan(
        self,
        prose: str,
        namespace: Mapping[str, Any] | None = None,
        *,
        previous: TaskPlan | None = None,
        stream: Callable[[str], None] | None = None,
    ) -> TaskPlan:
        """Turn ``prose`` into a :class:`TaskPlan`.

        Parameters
        ----------
        prose : str
            The user's request, English or Chinese.
        namespace : mapping, optional
            The user's namespace; names the prose mentions (functions, arrays, ``X``/``y``)
            are looked up here and count only with a fitting type.
        previous : TaskPlan, optional
            The last plan, so follow-ups ("now do it for 1e7", "再算到一百万") reuse its recipe
            with the new parameters.
        stream : callable, optional
            Accepted so every planner takes the same arguments; a recipe has nothing to
            stream, its code is complete at once.

        Raises
        ------
        PlanningError
            When the prose is empty, out of scope, destructive, or lacks something the task
            needs; the message (in the prose's language) says what can be asked.
        """
        prose = prose if isinstance(prose, str) else str(prose)
        lang = detect_language(prose)
        namespace = namespace if namespace is not None else {}
        if not prose.strip():
            raise _refuse(
                lang,
                "There is nothing to plan: the prose is empty.",
                "没有可规划的内容：输入为空。",
            )
        if DESTRUCTIVE.search(prose):
            raise _refuse(
                lang,
                "This asks to delete, change or stop something. aigc-magic "
                "only plans read-only compute tasks and will not do that.",
                "这个请求要删除、修改或终止某些东西。aigc-magic只规划只读的计算任务，"
                "不会执行这类操作。",
            )
        if NETWORK.search(prose):
            raise _refuse(
                lang,
                "This needs the network or another person (the web, e-mail, a message); "
                "the offline planner only runs computations here.",
                "这个请求需要联网或别人参与（网页、邮件、消息）；离线规划器只在本地做计算。",
            )
        if previous is None and (said := self._restated(prose, namespace)) is not None:
            return said
        original = prose
        corrected = correct(prose, namespace, _known_words, lambda: _column_words(prose))
        prose = corrected.prose  # misspelt words read as the words meant from here on
        substituted = substitute_numbers(prose, namespace)
        prose = substituted.prose  # "below limit" reads "below 5000" from here on
        has_numbers = bool(find_numbers(prepare(prose)))
        names = [n for n in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", original) if n in namespace]
        concept = CONCEPT.search(prose) is not None and DATA.search(prose) is None
        if previous is None and not has_numbers and not names and concept:
            raise _refuse(
                lang,
                "This reads like a question about a concept; the offline "
                "planner only runs computations.",
                "这像是在问一个概念；离线规划器只执行计算任务。",
            )
        ranked = _rank(prose)
        candidates = self._candidates(prose, ranked, veto=not has_numbers)
        followed = None
        if (
            previous is not None
            and previous.source == self.source
            and previous.recipe in self._recipes
        ):
            followed = self._follow_up(prose, ranked, candidates, previous)
            if followed is not None:
                candidates = [followed]
        if not candidates:
            raise _refuse(
                lang,
                "I could not match this to a task I can plan offline.",
                "无法把这个请求匹配到离线规划器支持的任务。",
            )
        needs: list[NeedMore] = []
        for recipe, recipe_score in candidates:
            same_family = (
                previous is not None
                and previous.recipe is not None
                and previous.recipe.split(".")[0] == recipe.family
            )
            prev_params = dict(previous.params) if same_family and previous else None
            ctx = Context(prose=prose, lang=lang, namespace=namespace, previous=prev_params)
            try:
                params = recipe.extract(ctx)
            except NotMine as need:  # the prose asks for more than this recipe does
                needs.append(need)
                continue
            except NeedMore as need:
                if recipe.decisive or isinstance(need, Refuse):  # never a looser recipe
                    raise _refuse_need(lang, need) from None
                needs.append(need)
                continue
            score = recipe_score
            break
        else:  # a looser recipe's question says more than a decisive recipe's "not mine"
            raise _refuse_need(
                lang, next((n for n in needs if not isinstance(n, NotMine)), needs[0])
            )
        if (
            followed is not None
            and previous is not None
            and recipe.id == previous.recipe
            and params == prev_params
            and not REPEAT.search(prose)
        ):
            raise _refuse(
                lang,
                "I could not tell what to change in the previous task.",
                "看不出要对上一个任务做什么修改。",
            )
        code = recipe.code(params)
        used = list(substituted.values)
        used += [n for n in names_in_code(code, namespace, original) if n not in used]
        for written, meant in corrected.changes.items():
            ctx.note(f"read '{written}' as '{meant}'", f"把“{written}”理解为“{meant}”")
        for name, value in substituted.values.items():
            ctx.note(
                f"read {name} from your namespace as {value!r}",
                f"从命名空间读取 {name} = {value!r}",
            )
        return TaskPlan(
            prose=original,
            code=code,
            source=self.source,
            recipe=recipe.id,
            params=params,
            language=lang,
            summary=recipe.summary(params, lang),
            score=round(max(0.0, min(1.0, score)), 4),
            notes=tuple(ctx.notes),
            names=tuple(used),
        )

    def _restated(self, prose: str, namespace: Mapping[str, Any]) -> TaskPlan | None:
        """The plan of a request said twice ("last 3 digits of 3^200, i.e. 3^200 mod 1000",
        "……，也就是……"): both halves planned on their own must be the same task, else None
        and the whole prose is planned as it stands (whose numbers then do not all fit)."""
        parts = _RESTATED.split(prose, maxsplit=1)
        if len(parts) != 2 or not all(p.strip(" ,.;:?!，。；：？！()（）") for p in parts):
            return None
        plans = []
        for part in parts:
            try:
                plans.append(self.plan(part, namespace))
            except PlanningError:
                return None
        first, second = plans
        if not _same_task(first, second):
            raise _refuse(
                detect_language(prose),
                f"The request says two different things ({first.summary}; {second.summary}); "
                "ask for one of them.",
                f"这个请求说了两件不同的事（{first.summary}；{second.summary}），请只问其中一件。",
            )
        note = (
            "the request said the same task twice; both readings agree"
            if second.language == "en"
            else "请求把同一个任务说了两遍，两种读法一致"
        )
        return dataclasses.replace(second, prose=prose, notes=(*second.notes, note))

    def _candidates(
        self, prose: str, ranked: list[tuple[str, float]], *, veto: bool
    ) -> list[tuple[Recipe, float]]:
        """Recipes worth trying, best first.

        Kept: scores at or above the threshold whose evidence words are in the prose. They are
        grouped by family in the order of each family's best score, and within a family the
        highest ``priority`` comes first (the more specific recipe). When the prose has no
        number and its nearest phrasing is a reject phrasing, nothing is kept.
        """
        text = prepare(prose)
        scores = dict(ranked)
        decisive = sorted(
            (
                (r, scores.get(r.id, 0.0))
                for r in self._recipes.values()
                if r.decisive and r.anchored(text)
            ),
            key=lambda rs: -rs[0].priority,
        )
        if veto and ranked and ranked[0][0] == REJECT:
            return decisive
        threshold = _fit().threshold
        kept = [
            (self._recipes[label], score)
            for label, score in ranked
            if label != REJECT
            and score >= threshold
            and self._recipes[label].anchored(text)
            and not self._recipes[label].decisive
        ]
        families: list[str] = []
        for recipe, _ in kept:
            if recipe.family not in families:
                families.append(recipe.family)
        return decisive + sorted(
            kept, key=lambda rs: (families.index(rs[0].family), -rs[0].priority, -rs[1])
        )

    def _follow_up(
        self,
        prose: str,
        ranked: list[tuple[str, float]],
        candidates: list[tuple[Recipe, float]],
        previous: TaskPlan,
    ) -> tuple[Recipe, float] | None:
        """The recipe for a follow-up, or None when the prose stands on its own."""
        fresh = candidates[0][0] if candidates else None
        cue = FOLLOWUP.search(prose) is not None
        if fresh is not None and not cue:
            return None
        if ranked and ranked[0][0] == REJECT and not find_numbers(prepare(prose)):
            return None  # "now tell me a joke": nearest to a reject phrasing, nothing to reuse
        assert previous.recipe is not None
        prev_recipe = self._recipes[previous.recipe]
        family = previous.recipe.split(".")[0]
        combined = f"{previous.prose}\n{prose}"
        scores = dict(ranked)
        # switch within the family only when the new prose brings the new recipe's evidence
        for label, score in ranked:
            if label == REJECT or not label.startswith(family + ".") or label == prev_recipe.id:
                continue
            recipe = self._recipes[label]
            if (
                score > scores.get(prev_recipe.id, 0.0)
                and recipe.anchored(prepare(combined))
                and not recipe.anchored(prepare(previous.prose))
            ):
                return recipe, score
        if fresh is not None and fresh.family != family:
            return None
        return prev_recipe, max(scores.get(prev_recipe.id, 0.0), previous.score * 0.9)

    # -- answers
    def answer(
        self,
        plan: TaskPlan,
        value: Any,
        *,
        schedule: str | None = None,
        timings: Mapping[str, float] | None = None,
        stream: Callable[[str], None] | None = None,
    ) -> str:
        """A short sentence about the result, in the plan's language.

        Parameters
        ----------
        plan : TaskPlan
            The plan that produced ``value``.
        value : object
            The task's ``result``.
        schedule : str, optional
            One sentence on how the work was split; appended as given.
        timings : mapping, optional
            Seconds per phase; ``"run"`` (or ``"total"``) is mentioned when present.
        stream : callable, optional
            Accepted for a uniform planner interface; templates are not streamed.
        """
        lang = plan.language
        recipe = self._recipes.get(plan.recipe or "")
        sentence = ""
        if recipe is not None:
            try:
                sentence = recipe.answer(plan.params, value, lang)
            except Exception:  # an unexpected value type: fall back to a plain sentence
                sentence = ""
        if not sentence:
            try:
                shown = repr(value)
            except ValueError:  # an integer over Python's 4300-digit str() limit
                shown = "a very large integer (see result)"
            shown = shown if len(shown) <= 200 else shown[:197] + "..."
            sentence = (
                f"{plan.summary}：结果为 {shown}。"
                if lang == "zh"
                else f"{plan.summary}: the result is {shown}."
            )
        parts = [sentence]
        if plan.names:
            shown_names = ", ".join(plan.names)
            parts.insert(
                0,
                f"（用到了你的变量：{shown_names}）"
                if lang == "zh"
                else f"(Using your notebook's {shown_names}.)",
            )
        seconds = None
        if timings:
            seconds = timings.get("run", timings.get("total"))
        if isinstance(seconds, (int, float)):
            parts.append(f"用时{seconds:.2f}秒。" if lang == "zh" else f"It took {seconds:.2f} s.")
        if schedule:
            parts.append(schedule.strip())
        return (" " if lang == "en" else "").join(parts)

    # -- catalog access for tests and docs
    def examples(self) -> Iterator[tuple[str, TaskPlan]]:
        """One representative ``(recipe_id, plan)`` per recipe, namespaces supplied."""
        for recipe in self._recipes.values():
            namespace = recipe.demo_namespace() if recipe.demo_namespace else {}
            plan = self.plan(recipe.demo, namespace)
            if plan.recipe != recipe.id:
                raise AssertionError(f"demo prose of {recipe.id} planned as {plan.recipe}")
            yield recipe.id, plan

    def phrasings(self) -> Iterator[tuple[str, str]]:
        """Every ``(recipe_id, phrasing)`` the matcher is fitted on."""
        for recipe in self._recipes.values():
            for example in recipe.examples:
                yield recipe.id, example

    def repair(
        self,
        plan: TaskPlan,
        problem: str,
        *,
        attempt: int,
        stream: Callable[[str], None] | None = None,
    ) -> None:
        """Templates cannot fix code: no repaired plan (the engine reports the problem)."""
