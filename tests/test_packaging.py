"""The wheel as a user gets it: built, installed without extras into a fresh venv, used from a
plain script (no Jupyter, no ``AIGC_MAGIC_STATE_DIR``, a fresh home) and from the CLI.

The wheel is built without isolation and without rebuilding the sidebar
(``SKIP_JUPYTER_BUILDER``: ``make install`` built it into ``aigc_magic/labextension``), so
the test costs one dependency install (~40 s from the package index) rather than a Lab build.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

PLAIN_SCRIPT = """
import json, sys
from joblib import Parallel, delayed, parallel_config

def square(x):
    return x * x

def inner(n):  # runs in a joblib loky worker that never imported aigc_magic
    return sum(Parallel(n_jobs=2, backend="aigc")(delayed(square)(j) for j in range(n)))

if __name__ == "__main__":
    with parallel_config(backend="aigc"):
        plain = Parallel(n_jobs=2)(delayed(square)(i) for i in range(200))
    processes = Parallel(n_jobs=2, backend="aigc", prefer="processes")(
        delayed(square)(i) for i in range(100))
    nested = Parallel(n_jobs=2, backend="loky")(delayed(inner)(i) for i in range(5))
    print(json.dumps({"plain": sum(plain), "processes": sum(processes), "nested": nested}))
"""


@pytest.fixture(scope="module")
def fresh_install(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """``(bin folder, environment)`` of a fresh venv holding the wheel and its dependencies."""
    tmp = tmp_path_factory.mktemp("packaging")
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AIGC_MAGIC_", "JUPYTER_", "VIRTUAL_ENV", "PYTHON"))
    }
    (tmp / "home").mkdir()
    env.update(PIP_DISABLE_PIP_VERSION_CHECK="1", SKIP_JUPYTER_BUILDER="1", HOME=str(tmp / "home"))

    def run(*args: str | Path) -> str:
        done = subprocess.run(
            [str(a) for a in args], cwd=tmp, env=env, capture_output=True, text=True, timeout=600
        )
        assert done.returncode == 0, f"{args}:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
        return done.stdout

    run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--quiet",
        "--no-deps",
        "--no-build-isolation",
        "--wheel-dir",
        tmp / "dist",
        ROOT,
    )
    (wheel,) = (tmp / "dist").glob("aigc_magic-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "aigc_magic_joblib.pth" in names and "_aigc_magic_joblib.py" in names
    assert any(n.endswith("labextensions/aigc-magic/package.json") for n in names)
    run(sys.executable, "-m", "venv", tmp / "venv")
    bin_dir = tmp / "venv" / "bin"
    run(bin_dir / "pip", "install", "--quiet", wheel)
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    return bin_dir, env


def _run(
    fresh_install: tuple[Path, dict[str, str]], *args: str
) -> subprocess.CompletedProcess[str]:
    bin_dir, env = fresh_install
    return subprocess.run(
        [str(bin_dir / args[0]), *args[1:]],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=env["HOME"],
    )


@pytest.mark.slow
def test_a_plain_install_has_no_jupyter(fresh_install: tuple[Path, dict[str, str]]) -> None:
    done = _run(fresh_install, "python", "-c", "import jupyter_core")
    assert done.returncode != 0 and "No module named 'jupyter_core'" in done.stderr


@pytest.mark.slow
def test_a_plain_script_runs_on_the_grid(fresh_install: tuple[Path, dict[str, str]]) -> None:
    env = fresh_install[1]
    script = Path(env["HOME"]).parent / "plain.py"
    script.write_text(PLAIN_SCRIPT, encoding="utf-8")
    done = _run(fresh_install, "python", str(script))
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out == {
        "plain": sum(i * i for i in range(200)),
        "processes": sum(i * i for i in range(100)),
        "nested": [sum(j * j for j in range(n)) for n in range(5)],
    }
    # what the scheduler learned went where Jupyter keeps its data, though none is installed
    state = Path(env["HOME"]) / ".local/share/jupyter/aigc-magic/scheduler-state.json"
    assert state.is_file()


@pytest.mark.slow
def test_the_command_line_answers(fresh_install: tuple[Path, dict[str, str]]) -> None:
    done = _run(fresh_install, "aigc-magic", "ask", "how many primes below 1e6")
    assert done.returncode == 0, done.stderr[-3000:]
    assert "78498" in done.stdout


@pytest.mark.slow
def test_the_demo_says_which_extra_it_needs(fresh_install: tuple[Path, dict[str, str]]) -> None:
    done = _run(fresh_install, "aigc-magic", "demo", "quickstart.ipynb")
    assert done.returncode == 2
    assert "pip install 'aigc-magic[examples]'" in done.stderr
