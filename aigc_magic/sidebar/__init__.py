"""The sidebar chat's Python side, beside :mod:`aigc_magic.chat` (its entry point).

- :mod:`.info`: which planner the next ask will use, for the panel's header (no key, ever);
- :mod:`.cell`: "ask about the active cell", the attached cell turned into prose for an LLM;
- ``locale/<lang>/LC_MESSAGES/aigc_magic.json``: the panel's own words in other languages,
  found by JupyterLab's translation server through the ``jupyterlab.locale`` entry point.
"""

from __future__ import annotations

__all__ = []
