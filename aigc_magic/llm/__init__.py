"""Planners: turn prose into a :class:`~aigc_magic.llm.plan.TaskPlan`.

``offline`` is the embedded default (a recipe catalog, no network); ``openai`` speaks to any
OpenAI-compatible endpoint. Both are imported on first use, never at package import.
"""
