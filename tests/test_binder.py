"""The Binder files: repo2docker accepts them, and replaying them gives a working Lab.

repo2docker's ``--no-build --debug`` prints the build plan (a Dockerfile) without docker; the
replay installs ``binder/requirements.txt`` and runs ``binder/postBuild`` in a fresh venv, as
the image build would, and asks Jupyter whether the sidebar extension is there and OK.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BINDER = ROOT / "binder"


def test_repo2docker_plans_our_requirements_and_post_build() -> None:
    repo2docker = shutil.which("jupyter-repo2docker", path=str(Path(sys.executable).parent))
    assert repo2docker, "jupyter-repo2docker is a dev dependency"
    out = subprocess.run(
        [repo2docker, "--no-build", "--debug", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    plan = out.stdout + out.stderr
    assert "python=3.11" in plan
    assert 'pip install --no-cache-dir -r "binder/requirements.txt"' in plan
    assert "./binder/postBuild" in plan
    assert os.access(BINDER / "postBuild", os.X_OK)


def test_readme_badge_opens_the_quickstart() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "mybinder.org/v2/gh/" in readme
    assert "urlpath=lab/tree/examples/quickstart.ipynb" in readme


@pytest.mark.slow
def test_post_build_replayed_in_a_fresh_venv_gives_a_working_lab(tmp_path: Path) -> None:
    venv = tmp_path / "binder-venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    bin_dir = venv / "bin"
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "VIRTUAL_ENV": str(venv),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
    env.pop("PYTHONPATH", None)

    def run(*args: str, cwd: Path = ROOT) -> str:
        done = subprocess.run(
            list(args), cwd=cwd, env=env, capture_output=True, text=True, timeout=900
        )
        assert done.returncode == 0, f"{args}: {done.stdout[-1500:]}{done.stderr[-3000:]}"
        return done.stdout + done.stderr

    run(str(bin_dir / "pip"), "install", "--quiet", "-r", str(BINDER / "requirements.txt"))
    run(str(BINDER / "postBuild"))
    listing = run(str(bin_dir / "jupyter"), "labextension", "list")
    assert "aigc-magic" in listing and "enabled" in listing and "OK" in listing, listing
    check = run(
        str(bin_dir / "python"), "-c", "import aigc_magic; print(aigc_magic.__file__)", cwd=tmp_path
    )
    assert str(venv) in check  # installed into the venv, not borrowed from the checkout
