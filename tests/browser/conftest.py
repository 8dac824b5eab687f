"""A real ``jupyter lab`` on 127.0.0.1 and Debian's Chromium driven by Python Playwright.

The server runs from a temporary root with its own config, runtime, settings and workspace
folders (so nothing of the developer's setup leaks in), a random token, ``--allow-root`` (CI
runs as root) and no news or update checks. One server serves every browser test; besides
``python3`` it offers a kernel ``no-aigc`` whose Python cannot import aigc_magic (as a kernel
of another environment would be), and ``llm`` is an OpenAI-wire stub for the sidebar's LLM
tests. Chromium is ``/usr/bin/chromium`` (``make
browser-deps`` installs it); tests skip when it or Playwright is missing.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"

pytestmark = pytest.mark.browser


NO_AIGC_KERNEL = "no-aigc"
NO_AIGC_DISPLAY = "Python 3 without aigc-magic"
# a kernel of an environment without aigc-magic: the import fails as it would there
_NO_AIGC_LAUNCHER = """\
import sys


class NoAigcMagic:
    def find_spec(self, name, path=None, target=None):
        if name == "aigc_magic" or name.startswith("aigc_magic."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, NoAigcMagic())
from ipykernel import kernelapp

kernelapp.launch_new_instance()
"""


@dataclass
class Lab:
    """A running JupyterLab: where it listens, its token, and the folder it serves."""

    url: str
    token: str
    root: Path
    log: Path
    settings: Path  # the user settings folder (``<plugin package>/<plugin>.jupyterlab-settings``)

    def open_url(self, path: str) -> str:
        """The address of ``path`` (relative to the root) in Lab, with the token."""
        return f"{self.url}/lab/tree/{path}?token={self.token}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_for(url: str, process: subprocess.Popen[bytes], log: Path, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"jupyter lab exited with {process.returncode}:\n"
                f"{log.read_text(errors='replace')[-3000:]}"
            )
        try:
            with urllib.request.urlopen(url, timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(
        f"jupyter lab did not answer in {seconds} s:\n{log.read_text(errors='replace')[-3000:]}"
    )


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """``jupyter lab --no-browser --allow-root`` on a free port of 127.0.0.1."""
    if not (Path(sys.prefix) / "share/jupyter/lab/static").exists():
        pytest.skip("JupyterLab is not installed: pip install -e '.[dev]'")
    base = tmp_path_factory.mktemp("lab")
    root, home = base / "root", base / "home"
    settings = home / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )
    root.mkdir()
    kernels = home / "share" / "jupyter" / "kernels" / NO_AIGC_KERNEL
    kernels.mkdir(parents=True)
    (kernels / "launch.py").write_text(_NO_AIGC_LAUNCHER)
    (kernels / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, str(kernels / "launch.py"), "-f", "{connection_file}"],
                "display_name": NO_AIGC_DISPLAY,
                "language": "python",
            }
        )
    )
    port, token = _free_port(), secrets.token_hex(16)
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "IPYTHONDIR": str(home / "ipython"),
        "JUPYTER_PATH": str(home / "share" / "jupyter"),
        "AIGC_MAGIC_DISCOVER": "0",
        "JUPYTER_PLATFORM_DIRS": "1",
        "PYTHONUNBUFFERED": "1",
    }
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "AIGC_MAGIC_MODEL"):
        env.pop(name, None)  # the offline planner answers unless a test says otherwise
    log = base / "lab.log"
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--allow-root",
        "--ip=127.0.0.1",
        f"--port={port}",
        f"--ServerApp.root_dir={root}",
        f"--IdentityProvider.token={token}",
        f"--LabApp.user_settings_dir={home / 'settings'}",
        f"--LabApp.workspaces_dir={home / 'workspaces'}",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--ServerApp.open_browser=False",
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(f"{url}/api/status?token={token}", process, log, seconds=60)
        yield Lab(url=url, token=token, root=root, log=log, settings=home / "settings")
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def llm() -> Iterator[Any]:
    """An :class:`~aigc_magic.testing.OpenAIStub` on 127.0.0.1 for the kernels of ``lab``;
    a notebook points at it by setting the environment in a cell (``llm_cell``)."""
    from aigc_magic.testing import OpenAIStub

    with OpenAIStub(api_key=STUB_KEY) as stub:
        yield stub


STUB_KEY = "sk-browser-" + "9f3bQ7xLmZ2wK8vT"  # must never show in the panel or the state


def llm_cell(stub: Any) -> str:
    """A cell that points the kernel at ``stub``, as a user's environment would."""
    return (
        f"import os; os.environ.update(OPENAI_API_KEY={STUB_KEY!r}, "
        f"OPENAI_BASE_URL={stub.base_url!r}, AIGC_MAGIC_MODEL='stub-model')"
    )


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium through Playwright."""
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium: run `make browser-deps` (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        item.stash[_FAILED] = report.failed
    return report


_FAILED = pytest.StashKey[bool]()


@pytest.fixture
def page(request: pytest.FixtureRequest, browser: Any, lab: Lab) -> Iterator[Any]:
    """A fresh page (1280×900) allowed to use the clipboard of ``lab``'s origin; a failing
    test leaves ``tests/artifacts/<test>-failure.png`` and the browser console behind."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=lab.url)
    tab = context.new_page()
    console: list[str] = []
    tab.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    try:
        yield tab
    finally:
        if request.node.stash.get(_FAILED, False):
            ARTIFACTS.mkdir(exist_ok=True)
            stem = ARTIFACTS / f"{request.node.name}-failure"
            tab.screenshot(path=f"{stem}.png", full_page=True)
            stem.with_suffix(".console.txt").write_text("\n".join(console))
        context.close()


@pytest.fixture
def artifacts() -> Path:
    """``tests/artifacts/`` (git-ignored): screenshots for the README and for debugging."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
