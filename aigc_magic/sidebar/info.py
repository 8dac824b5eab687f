"""Which planner the next sidebar ask will use: what the panel's header shows.

The sidebar reads :func:`kernel_info` (through ``aigc_magic.chat.describe()``) each time the
kernel or its settings may have changed. It resolves the settings exactly as an ask does
(magic defaults < environment < ``%config``, then a server found on the loopback) and says
"offline" or the model and the endpoint's host. The API key is never read into the reply:
only whether the settings count as configured, and the host without credentials.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping
from typing import Any

from .._protocol import PROTOCOL_VERSION, KernelInfo

__all__ = ["OPENAI_HOST", "endpoint_host", "kernel_info", "shell_config", "uses_llm"]

OPENAI_HOST = "api.openai.com"


def endpoint_host(base_url: str | None) -> str:
    """The host (and port, if any) of ``base_url``: no scheme, user, password, path or query.

    >>> endpoint_host("http://user:pw@127.0.0.1:11434/v1?key=x")
    '127.0.0.1:11434'
    >>> endpoint_host(None)
    'api.openai.com'
    """
    if not base_url:
        return OPENAI_HOST
    try:
        parts = urllib.parse.urlsplit(base_url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return "?"
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    return f"{host}:{port}" if port else host


def kernel_info(config: Mapping[str, Any] | None, planner: str | None = None) -> KernelInfo:
    """Describe the planner that an ask with these ``%config`` values would use.

    Parameters
    ----------
    config : mapping, optional
        ``AskMagics`` values the user set (None for unset), as
        ``AskMagics.engine_options()["config"]``.
    planner : {"auto", "offline", "llm"}, optional
        A per-ask override, as the sidebar's request may carry.
    """
    from .._version import __version__
    from ..llm.settings import llm_configured, resolve_settings, with_local_server

    overrides = {"planner": planner} if planner else None
    settings, sources = with_local_server(*resolve_settings(overrides, config))
    if settings.planner == "offline" or (
        settings.planner == "auto" and not llm_configured(settings)
    ):
        return KernelInfo(
            kind="hello",
            version=__version__,
            protocol=PROTOCOL_VERSION,
            planner="offline",
            model=None,
            host=None,
            source=sources.get("planner", "default"),
        )
    configured = llm_configured(settings)
    source = sources.get("base_url", "default")
    if configured and not settings.base_url:
        source = "environment (OPENAI_API_KEY)"
    return KernelInfo(
        kind="hello",
        version=__version__,
        protocol=PROTOCOL_VERSION,
        planner="llm",
        model=settings.model,
        host=endpoint_host(settings.base_url) if configured else None,
        source=source if configured else "not configured",
    )


def uses_llm(config: Mapping[str, Any] | None, planner: str | None = None) -> bool:
    """Whether an ask with these settings would go to an LLM (and not the offline planner)."""
    info = kernel_info(config, planner)
    return info["planner"] == "llm" and info["host"] is not None


def shell_config(shell: Any) -> dict[str, Any]:
    """The ``%config AskMagics`` values of ``shell``, without loading the extension: the
    loaded magics' traits when there are, else what ``%config`` put in the shell's config."""
    from ..llm.settings import SETTING_NAMES

    if shell is None:
        return {}
    magics = shell.magics_manager.registry.get("AskMagics")
    if magics is not None:
        options: dict[str, Any] = magics.engine_options()["config"]
        return options
    section = shell.config.get("AskMagics", {})
    return {name: section[name] for name in SETTING_NAMES if name in section}
