"""Local models with no configuration: an OpenAI-compatible server on the loopback.

With no API key and no base URL, ``planner="auto"`` asks the usual local servers for their
models before settling for the offline planner:

==============  ===============================
server          where it listens by default
==============  ===============================
Ollama          ``http://127.0.0.1:11434/v1``
llama.cpp       ``http://127.0.0.1:8080/v1``
==============  ===============================

Both are asked at once, within :data:`BUDGET_SECONDS` in all (a closed port answers in
microseconds; a busy one is not waited for), once per process (the kernel), and the answer
is kept: a server started later is found after a kernel restart (or :func:`forget`). The
first chat model a server lists is used (embedding models are skipped). Plain ``urllib``,
proxies bypassed: nothing heavy is imported. ``AIGC_MAGIC_DISCOVER=0`` turns it off.
"""

from __future__ import annotations

import json
import os
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass

__all__ = [
    "BUDGET_SECONDS",
    "CANDIDATES",
    "ENV_VAR",
    "LocalServer",
    "forget",
    "local_server",
    "search",
]

#: Where local OpenAI-compatible servers listen by default, in order of preference.
CANDIDATES: tuple[tuple[str, str], ...] = (
    ("Ollama", "http://127.0.0.1:11434/v1"),
    ("llama.cpp", "http://127.0.0.1:8080/v1"),
)
#: The whole search's time limit; the issue that asked for discovery set it at 200 ms.
BUDGET_SECONDS = 0.2
ENV_VAR = "AIGC_MAGIC_DISCOVER"
_NOT_CHAT = ("embed", "embedding", "rerank", "whisper", "tts")


@dataclass(frozen=True)
class LocalServer:
    """A server found on the loopback: what it is, where, and the model to use."""

    name: str
    base_url: str
    model: str


_lock = threading.Lock()
_found: list[LocalServer | None] = []  # empty: not searched yet in this process


def local_server() -> LocalServer | None:
    """The local server to use, searched for once per process; None when there is none."""
    if os.environ.get(ENV_VAR, "1") == "0":
        return None
    with _lock:
        if not _found:
            _found.append(search())
        return _found[0]


def forget() -> None:
    """Search again at the next :func:`local_server` (a server was started or stopped)."""
    with _lock:
        _found.clear()


def search(
    candidates: tuple[tuple[str, str], ...] = CANDIDATES, budget: float = BUDGET_SECONDS
) -> LocalServer | None:
    """Ask every candidate for its models at once; the first (in candidate order) that
    answers with a chat model within ``budget`` seconds wins."""
    deadline = time.monotonic() + budget
    pool = ThreadPoolExecutor(len(candidates), thread_name_prefix="aigc-discover")
    futures = [pool.submit(_models, base_url, budget) for _, base_url in candidates]
    wait(futures, timeout=budget)
    pool.shutdown(wait=False, cancel_futures=True)  # a slow server is not waited for
    for (name, base_url), future in zip(candidates, futures, strict=True):
        if not future.done() or time.monotonic() > deadline + 0.05:
            continue
        models = future.result()
        chat = [m for m in models if not any(word in m.lower() for word in _NOT_CHAT)]
        if chat:
            return LocalServer(name=name, base_url=base_url, model=chat[0])
    return None


def _models(base_url: str, timeout: float) -> list[str]:
    """The model ids ``GET {base_url}/models`` lists, or [] for anything else."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: no proxy
    try:
        with opener.open(f"{base_url}/models", timeout=timeout) as reply:
            data = json.loads(reply.read(1 << 20))
    except (OSError, ValueError):
        return []
    items = data.get("data") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return []
    return [str(item["id"]) for item in items if isinstance(item, dict) and item.get("id")]
