"""Bad input, denied operations, runaway code and interrupts: clear messages, nothing lost.

Each denied snippet starts by printing a sentinel, so its absence proves nothing ran; the
file, socket and process cases also leave their own sentinel untouched.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import threading
import time
from pathlib import Path

import pytest

from aigc_magic import PlanningError, UnsafeCodeError, ask
from aigc_magic.errors import TaskTimeoutError

RAN = "SENTINEL-RAN"


def _children_cpu() -> dict[int, float]:
    """CPU seconds used so far by each child process of this one (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    usage = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == os.getpid() and fields[0] != "Z":
            usage[int(entry.name)] = (int(fields[11]) + int(fields[12])) / ticks
    return usage


def _busy_children(window: float = 1.0) -> list[int]:
    """Children that burn more than a third of a core over ``window`` seconds."""
    before = _children_cpu()
    time.sleep(window)
    after = _children_cpu()
    return [pid for pid, used in after.items() if used - before.get(pid, used) > window / 3]


def _denied_cases(tmp: Path, port: int) -> dict[str, str]:
    victim = tmp / "victim.txt"
    victim.write_text("keep me")
    target = tmp / "written.txt"
    return {
        "process": f"import subprocess\nsubprocess.run(['touch', {str(target)!r}])",
        "file-write": f"open({str(target)!r}, 'w').write('x')",
        "file-delete": f"import os\nos.remove({str(victim)!r})",
        "network": f"import socket\nsocket.create_connection(('127.0.0.1', {port}), timeout=1)",
        "dynamic-code": f"eval(\"open({str(target)!r}, 'w')\")",
        "aliased-trick": "import os as o\ngetattr(o, 'sys' + 'tem')('true')",
        "native-code": "import ctypes\nctypes.CDLL(None).system(b'true')",
        "secrets": "import os\nprint(os.environ['OPENAI_API_KEY'])",
        "kernel-exit": "import sys\nsys.exit(0)",
    }


@pytest.fixture
def listener():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        server.settimeout(0.3)
        yield server


@pytest.mark.parametrize("rule", list(_denied_cases(Path("/tmp"), 1)))
def test_each_denied_operation_runs_nothing(
    rule: str, scripted, tmp_path: Path, listener, capsys
) -> None:
    cases = _denied_cases(tmp_path, listener.getsockname()[1])
    scripted.code = f"print({RAN!r})\n{cases[rule]}\nresult = 1\n"
    ns = {"keep": 1}
    for mode, yes in (("ask", False), ("strict", True)):
        with pytest.raises(UnsafeCodeError) as info:
            ask("do it", namespace=ns, safety=mode, yes=yes)
        assert info.value.findings and info.value.code == scripted.code
    assert RAN not in capsys.readouterr().out
    assert not (tmp_path / "written.txt").exists()
    assert (tmp_path / "victim.txt").read_text() == "keep me"
    with pytest.raises(socket.timeout):
        listener.accept()  # nobody connected
    assert ns == {"keep": 1}


def test_refusal_speaks_the_prose_language(scripted) -> None:
    scripted.code = "import subprocess\nresult = 1\n"
    with pytest.raises(UnsafeCodeError, match="没有运行任何代码"):
        ask("运行一个命令", namespace={})
    with pytest.raises(UnsafeCodeError, match="Nothing ran"):
        ask("run a command", namespace={})


@pytest.mark.slow
def test_an_infinite_loop_is_stopped_by_the_run_timeout(scripted) -> None:
    scripted.code = "x = 1\nwhile True:\n    pass\nresult = x\n"
    ns = {"x": "mine"}
    started = time.perf_counter()
    with pytest.raises(TaskTimeoutError, match="run_timeout=1 s") as info:
        ask("spin", namespace=ns, run_timeout=1)
    assert time.perf_counter() - started < 3
    assert "%config AskMagics.run_timeout = 2" in str(info.value)
    assert ns["x"] == "mine" and "result" not in ns
    scripted.code = "result = x * 2\n"
    assert ask("again", namespace=ns).value == "minemine"  # the engine is still usable


SPIN_ON_WORKERS = """
import aigc_magic
from joblib import Parallel, delayed, parallel_config

def _spin(i):
    while True:
        i += 1

with parallel_config(backend="aigc", arm="loky"):
    result = Parallel(n_jobs=2)(delayed(_spin)(i) for i in range(4))
"""


@pytest.mark.slow
def test_a_timeout_stops_spinning_workers_too(scripted) -> None:
    scripted.code = SPIN_ON_WORKERS
    ns: dict = {}
    with pytest.raises(TaskTimeoutError):
        ask("spin on the workers", namespace=ns, run_timeout=3)
    assert _busy_children() == []  # no worker is left spinning
    scripted.code = (
        "import aigc_magic\nfrom joblib import Parallel, delayed\n"
        "result = sum(Parallel(n_jobs=2, backend='aigc')(delayed(abs)(-i) "
        "for i in range(100)))\n"
    )
    assert ask("sum them", namespace=ns).value == 4950  # the grid works again


@pytest.mark.slow
def test_keyboard_interrupt_stops_workers_and_reports_progress(scripted, capsys) -> None:
    scripted.code = """
import time
import aigc_magic
from joblib import Parallel, delayed, parallel_config

def _step(i):
    if i < 4:
        return i
    while True:
        i += 1

with parallel_config(backend="aigc", arm="loky"):
    result = Parallel(n_jobs=2, batch_size=1)(delayed(_step)(i) for i in range(12))
"""
    ns = {"result": "previous answer"}
    timer = threading.Timer(4.0, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            ask("step through", namespace=ns)
    finally:
        timer.cancel()
    err = capsys.readouterr().err
    # tasks 0-3 finished, the rest spin; joblib knows no total for a generator input
    assert re.search(r"aigc: interrupted after [\d.]+ s; 4 (of 12 )?tasks had finished", err)
    assert "your variables are as they were" in err
    assert ns["result"] == "previous answer"
    assert _busy_children() == []


@pytest.mark.parametrize(
    "prose",
    [
        "{}",
        "{x} and {y}",
        "$x $$ ${HOME}",
        "what's \"this\" 'quoted' thing?",
        "\\n\\t\\\\",
        "🙂" * 50,
        "a" * 5000,
    ],
)
def test_odd_prose_is_refused_cleanly(prose: str) -> None:
    with pytest.raises(PlanningError, match="OPENAI_BASE_URL"):
        ask(prose, namespace={})


def test_a_megabyte_of_prose_is_refused_at_once() -> None:
    started = time.perf_counter()
    with pytest.raises(PlanningError, match="1,048,576 characters"):
        ask("primes " * (1 << 20 // 7) + "x" * ((1 << 20) - 7 * (1 << 20 // 7)), namespace={})
    assert time.perf_counter() - started < 1.0


@pytest.fixture
def llm(monkeypatch: pytest.MonkeyPatch):
    from aigc_magic.testing import OpenAIStub

    with OpenAIStub() as stub:
        monkeypatch.setenv("OPENAI_BASE_URL", stub.base_url)
        monkeypatch.setenv("AIGC_MAGIC_MODEL", "stub-model")
        yield stub


def test_an_llm_reply_with_no_code_says_so(llm) -> None:
    from aigc_magic.errors import LLMReplyError

    llm.reply("I'd love to help, but I need more details about your data.")
    ns = {"keep": 1}
    with pytest.raises(LLMReplyError, match="no Python code block") as info:
        ask("do the analysis", namespace=ns)
    assert "I'd love to help" in str(info.value)  # the start of the reply is shown
    assert ns == {"keep": 1}


def test_an_llm_reply_that_is_not_python_is_repaired_then_refused(llm) -> None:
    for _ in range(2):
        llm.reply("```python\nSELECT * FROM primes WHERE n < 100;\n```")
    ns = {"keep": 1}
    with pytest.raises(PlanningError, match="not valid Python") as info:
        ask("primes below 100 from my table", namespace=ns, max_repairs=1)
    assert "SELECT" in info.value.code  # the last code is kept for the user
    assert ns == {"keep": 1} and len(llm.chat_requests) == 2
