"""The offline planner's recipe catalog: one module per task family.

Each module exports ``RECIPES``, a list of :class:`~aigc_magic.llm.recipes._base.Recipe`
records holding the phrasings the matcher learns from (English and Chinese), the parameter
extraction, the code template and the answer template. :func:`catalog` gathers them in a fixed
order; importing this package imports no heavy library.
"""

from __future__ import annotations

from ._base import Context, NeedMore, Recipe
from ._codegen import JOBLIB_BACKEND
from ._guard import NotMine, Refuse

__all__ = ["JOBLIB_BACKEND", "Context", "NeedMore", "NotMine", "Recipe", "Refuse", "catalog"]

_CATALOG: list[Recipe] = []


def catalog() -> list[Recipe]:
    """Every recipe, in a fixed order (ids are unique)."""
    if not _CATALOG:
        from . import (
            arithmetic,
            calls,
            charts,
            charts_table,
            cluster,
            counting,
            describe,
            exact,
            files,
            holdout,
            listcount,
            mapping,
            matrices,
            ml,
            pairs,
            plots,
            plots_function,
            prime_next,
            primes,
            randomness,
            sampling,
            series,
            simulate,
            stats,
            symbolic,
            tables,
            trials,
            zeros,
        )

        for module in (
            exact,
            zeros,
            arithmetic,
            counting,
            symbolic,
            charts,
            charts_table,
            pairs,
            plots,
            plots_function,
            describe,
            listcount,
            matrices,
            randomness,
            sampling,
            tables,
            prime_next,
            primes,
            series,
            simulate,
            trials,
            mapping,
            calls,
            ml,
            holdout,
            cluster,
            stats,
            files,
        ):
            _CATALOG.extend(module.RECIPES)
    return list(_CATALOG)
