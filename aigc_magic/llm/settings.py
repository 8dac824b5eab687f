"""LLM settings: what each option is, and where its value came from.

Precedence, highest first: a magic flag (``%%ask --model ...``), ``%config AskMagics.<name>``,
the environment, the default. The API key is the one exception: it comes from the
environment only (``OPENAI_API_KEY``), is read at the moment a request is sent, and is never
stored here; :class:`LLMSettings` only remembers *whether* it was set, so no repr, log line or
``%ask config`` output can ever show it.

=============  ===============================  ======================================
setting        environment                      default
=============  ===============================  ======================================
planner        (none)                           ``"auto"``
model          ``AIGC_MAGIC_MODEL``             ``"gpt-4o-mini"``
base_url       ``OPENAI_BASE_URL``              None (OpenAI's own endpoint)
temperature    (none)                           0.2
max_repairs    (none)                           2
timeout        (none)                           60.0 seconds
json_mode      (none)                           False
max_retries    (none)                           2
=============  ===============================  ======================================
"""

from __future__ import annotations

import difflib
import math
import os
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any, Literal

from ..errors import SettingsError

__all__ = [
    "BASE_URL_ENV",
    "FOUND_ON_LOOPBACK",
    "KEY_ENV",
    "MODEL_ENV",
    "SETTING_NAMES",
    "SOURCES",
    "LLMSettings",
    "PlannerMode",
    "api_key_from_env",
    "describe_settings",
    "found_on_loopback",
    "llm_configured",
    "redact_url",
    "resolve_settings",
    "with_local_server",
]

PlannerMode = Literal["auto", "offline", "llm"]

KEY_ENV = "OPENAI_API_KEY"
BASE_URL_ENV = "OPENAI_BASE_URL"
MODEL_ENV = "AIGC_MAGIC_MODEL"

#: The source of a base URL (and model) that :func:`with_local_server` found by itself.
FOUND_ON_LOOPBACK = "found on the loopback"
#: Where a value came from, highest precedence first.
SOURCES = ("magic flag", "%config", "environment", "default")

_ENV_FOR = {"model": MODEL_ENV, "base_url": BASE_URL_ENV}
_PLANNERS = ("auto", "offline", "llm")


@dataclass(frozen=True)
class LLMSettings:
    """The effective LLM settings of one request.

    Attributes
    ----------
    model : str
        The chat model's name as the endpoint knows it (``"gpt-4o-mini"``, ``"llama3.1"``).
    base_url : str or None
        An OpenAI-compatible endpoint, usually ending in ``/v1``; None means OpenAI's own.
    planner : {"auto", "offline", "llm"}
        ``"auto"`` uses the LLM when :func:`llm_configured` and the offline planner otherwise.
    temperature : float
        Sampling temperature, 0 to 2.
    max_repairs : int
        How many times the engine may send failing code back to the LLM to be fixed.
    timeout : float
        Seconds the SDK waits for the endpoint (per read, so a streaming reply may take longer).
    json_mode : bool
        Ask for ``{"code": ..., "explanation": ...}`` JSON (``response_format``) instead of a
        fenced code block. Not every server supports it.
    max_retries : int
        How many times the SDK retries a 408/409/429/5xx reply or a lost connection.
    api_key_set : bool
        Whether ``OPENAI_API_KEY`` was set when the settings were resolved. The key itself is
        never stored.
    """

    model: str = "gpt-4o-mini"
    base_url: str | None = None
    planner: PlannerMode = "auto"
    temperature: float = 0.2
    max_repairs: int = 2
    timeout: float = 60.0
    json_mode: bool = False
    max_retries: int = 2
    api_key_set: bool = False


#: The names a caller may set, in display order.
SETTING_NAMES: tuple[str, ...] = tuple(
    f.name for f in fields(LLMSettings) if f.name != "api_key_set"
)
_DEFAULTS = LLMSettings()


def api_key_from_env() -> str | None:
    """Return ``OPENAI_API_KEY`` as set right now, or None when it is unset or blank."""
    key = os.environ.get(KEY_ENV, "").strip()
    return key or None


def resolve_settings(
    overrides: Mapping[str, Any] | None = None, config: Mapping[str, Any] | None = None
) -> tuple[LLMSettings, dict[str, str]]:
    """Combine magic flags, ``%config`` values, the environment and the defaults.

    Parameters
    ----------
    overrides : mapping, optional
        Values given on the magic's line or to ``ask(...)``. Keys are setting names; a None
        value means "not given". Keys that are not LLM settings are ignored, so the engine
        can pass its whole options mapping.
    config : mapping, optional
        Values the user set with ``%config AskMagics.<name> = ...`` (only those the user
        set, not every trait's default), same rules.

    Returns
    -------
    settings : LLMSettings
        The effective values, checked and converted (``"0.5"`` becomes 0.5).
    sources : dict of str to str
        For each setting name, one of ``"magic flag"``, ``"%config"``, ``"environment"``,
        ``"default"``.

    Raises
    ------
    SettingsError
        A value is out of range or of the wrong kind; the message says which and from where.
    """
    layers: list[tuple[str, Mapping[str, Any]]] = [
        ("magic flag", overrides or {}),
        ("%config", config or {}),
        (
            "environment",
            {name: os.environ.get(var, "").strip() or None for name, var in _ENV_FOR.items()},
        ),
    ]
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for name in SETTING_NAMES:
        for source, layer in layers:
            raw = layer.get(name)
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                continue
            values[name] = _convert(name, raw, source)
            sources[name] = source
            break
        else:
            values[name] = getattr(_DEFAULTS, name)
            sources[name] = "default"
    settings = LLMSettings(**values, api_key_set=api_key_from_env() is not None)
    return settings, sources


def with_local_server(
    settings: LLMSettings, sources: dict[str, str]
) -> tuple[LLMSettings, dict[str, str]]:
    """With no key and no base URL (and a planner other than "offline"), use an
    OpenAI-compatible server found on the loopback (:mod:`.discover`), if any.

    The model is the server's first chat model unless the user named one; ``sources`` then
    says ``"found on the loopback (Ollama)"`` for what the search set.
    """
    if settings.planner == "offline" or llm_configured(settings):
        return settings, sources
    from . import discover

    found = discover.local_server()
    if found is None:
        return settings, sources
    where = f"{FOUND_ON_LOOPBACK} ({found.name})"
    sources = {**sources, "base_url": where}
    model = settings.model
    if sources.get("model") == "default":
        model, sources["model"] = found.model, f"{where}: its first chat model"
    return replace(settings, base_url=found.base_url, model=model), sources


def found_on_loopback(sources: Mapping[str, str]) -> bool:
    """Whether :func:`with_local_server` set the base URL (nothing was configured)."""
    return sources.get("base_url", "").startswith(FOUND_ON_LOOPBACK)


def llm_configured(settings: LLMSettings) -> bool:
    """Return True when an LLM endpoint is configured: a key or a base URL is set."""
    return settings.api_key_set or bool(settings.base_url)


def redact_url(url: str) -> str:
    """Return ``url`` without a user name, password or query string (they may hold secrets)."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return "<unparsable URL>"
    netloc = parts.netloc.rpartition("@")[2]
    if "@" in parts.netloc:
        netloc = "***@" + netloc
    query = "***" if parts.query else ""
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, query, ""))


def describe_settings(settings: LLMSettings, sources: Mapping[str, str]) -> str:
    """Render the effective settings and their sources for ``%ask config``.

    The API key is shown only as "set (from OPENAI_API_KEY)" or "not set", never any of its
    characters; a base URL is shown without credentials or query string.

    Parameters
    ----------
    settings, sources : LLMSettings, mapping
        What :func:`resolve_settings` returned.

    Returns
    -------
    str
        Several lines of plain text.
    """
    rows: list[tuple[str, str, str]] = []
    for name in SETTING_NAMES:
        value = getattr(settings, name)
        shown = redact_url(value) if name == "base_url" and value else repr(value)
        if name == "base_url" and not value:
            shown = "None (https://api.openai.com/v1)"
        source = sources.get(name, "default")
        if source == "environment" and name in _ENV_FOR:
            source = f"environment ({_ENV_FOR[name]})"
        rows.append((name, shown, source))
    key = f"set (from {KEY_ENV})" if settings.api_key_set else "not set"
    rows.insert(3, ("api key", key, "environment only"))
    width = max(len(r[0]) for r in rows)
    vwidth = min(max(len(r[1]) for r in rows), 40)
    lines = ["LLM settings (magic flag > %config > environment > default):"]
    lines += [f"  {n:<{width}}  {v:<{vwidth}}  {s}" for n, v, s in rows]
    if settings.planner == "offline":
        verdict = "the embedded offline planner answers (planner = 'offline')."
    elif llm_configured(settings) and found_on_loopback(sources):
        verdict = (
            f"the LLM planner answers, with model {settings.model!r} of the server "
            f"{sources['base_url']} at {redact_url(settings.base_url or '')}; nothing "
            "was configured."
        )
    elif llm_configured(settings):
        verdict = f"the LLM planner answers, with model {settings.model!r}."
    elif settings.planner == "llm":
        verdict = (
            f"no LLM is configured: set {KEY_ENV} in the environment or "
            '%config AskMagics.base_url = "http://127.0.0.1:11434/v1".'
        )
    else:
        verdict = (
            f"the embedded offline planner answers; set {KEY_ENV} or "
            "%config AskMagics.base_url to use an LLM."
        )
    lines.append(f"Now: {verdict}")
    lines.append('Change one with e.g. %config AskMagics.model = "gpt-4o-mini".')
    return "\n".join(lines)


def _convert(name: str, raw: Any, source: str) -> Any:
    """Check and convert one raw value; raise :class:`SettingsError` naming its source."""

    def bad(expected: str, example: str) -> SettingsError:
        return SettingsError(
            f"{name} must be {expected}, got {raw!r} (from {source}); "
            f"e.g. %config AskMagics.{name} = {example}"
        )

    if name in ("model", "base_url"):
        if not isinstance(raw, str):
            raise bad(
                "a string", '"gpt-4o-mini"' if name == "model" else '"http://127.0.0.1:11434/v1"'
            )
        value = raw.strip()
        if name == "base_url" and not value.lower().startswith(("http://", "https://")):
            raise bad("an http:// or https:// URL", '"http://127.0.0.1:11434/v1"')
        return value.rstrip("/") if name == "base_url" else value
    if name == "planner":
        value = str(raw).strip().lower()
        if value not in _PLANNERS:
            close = difflib.get_close_matches(value, _PLANNERS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise SettingsError(
                f"planner must be one of 'auto', 'offline', 'llm', got {raw!r}"
                f"{hint} (from {source}); e.g. "
                f'%config AskMagics.planner = "{close[0] if close else "auto"}"'
            )
        return value
    if name == "json_mode":
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off"):
            return False
        raise bad("True or False", "False")
    if name in ("max_repairs", "max_retries"):
        if isinstance(raw, bool):
            raise bad("a whole number from 0 to 10", "2")
        try:
            whole = int(str(raw).strip()) if isinstance(raw, str) else int(raw)
        except (TypeError, ValueError):
            raise bad("a whole number from 0 to 10", "2") from None
        if (not isinstance(raw, str) and whole != raw) or not 0 <= whole <= 10:
            raise bad("a whole number from 0 to 10", "2")
        return whole
    # temperature, timeout
    try:
        number = float(raw)
    except (TypeError, ValueError):
        raise bad("a number", "0.2" if name == "temperature" else "60") from None
    if isinstance(raw, bool) or not math.isfinite(number):
        raise bad("a number", "0.2" if name == "temperature" else "60")
    if name == "temperature" and not 0 <= number <= 2:
        raise bad("between 0 and 2", "0.2")
    if name == "timeout" and number <= 0:
        raise bad("a positive number of seconds", "60")
    return number
