"""The static safety policy: what it refuses (with line and rule), and what it must let run."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from aigc_magic.safety import RULES, Finding, check, format_findings


def hits(code: str, cwd: str | os.PathLike[str] | None = None) -> set[tuple[int, str]]:
    """The (line, rule) pairs found in ``code``."""
    return {(f.line, f.rule) for f in check(textwrap.dedent(code), cwd=cwd)}


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    return tmp_path


def assert_flags(code: str, line: int, rule: str, cwd: Path) -> None:
    found = hits(code, cwd)
    assert (line, rule) in found, f"expected ({line}, {rule!r}) in {sorted(found)} for:\n{code}"


# --- process -------------------------------------------------------------------------------

PROCESS = [
    ("import subprocess", 1),
    ("import subprocess as sp\nsp.run(['ls'])", 2),
    ("from subprocess import check_output", 1),
    ("from subprocess import *\nrun('ls')", 1),
    ("import os\nos.system('ls')", 2),
    ("import os as o\no.system('ls')", 2),
    ("from os import system as s\ns('ls')", 1),
    ("from os import system as s\ns('ls')", 2),
    ("import os.path\nos.system('ls')", 2),
    ("import os\no = os\no.system('ls')", 3),
    ("import os\na = os\nb = a\nb.popen('ls')", 4),
    ("import os\nx = 1\nx = os\nx.system('ls')", 4),
    ("import sys\nsys.modules['os'].system('ls')", 2),
    ("import os\ngetattr(os, 'system')('ls')", 2),
    ("__import__('os').system('ls')", 1),
    ("import importlib\nimportlib.import_module('subprocess').run('ls')", 2),
    ("__import__('subprocess')", 1),
    ("import os\nos.popen('ls')", 2),
    ("import os\nos.execv('/bin/sh', ['sh'])", 2),
    ("import os\nos.execlp('sh', 'sh')", 2),
    ("import os\nos.spawnl(os.P_WAIT, '/bin/ls')", 2),
    ("import os\nos.posix_spawnp('ls', ['ls'], {})", 2),
    ("import os\npid = os.fork()", 2),
    ("import os\nos.forkpty()", 2),
    ("import pty\npty.spawn('sh')", 1),
    ("import os\nos.kill(os.getpid(), 9)", 2),
    ("import os\nos.killpg(0, 9)", 2),
    ("import signal\nsignal.raise_signal(signal.SIGINT)", 2),
    ("import signal\nsignal.pthread_kill(1, 2)", 2),
    ("import signal\nsignal.alarm(1)", 2),
    ("import multiprocessing\np = multiprocessing.Process(target=print)", 2),
    ("from multiprocessing import Process\nProcess(target=print).start()", 1),
    ("import multiprocessing as mp\nctx = mp.get_context('spawn')\nctx.Process(target=f)", 3),
    ("import asyncio\nasyncio.create_subprocess_shell('ls')", 2),
    ("import asyncio\nloop = asyncio.new_event_loop()\nloop.subprocess_exec(P, 'ls')", 3),
    ("import posix\nposix.system('ls')", 2),
    ("import os\nrun = os.system\n", 2),
    ("import os\nlist(map(os.system, ['ls']))", 2),
    ("from os import *\nsystem('ls')", 2),
    ("import webbrowser\nwebbrowser.open('x')", 1),
    ("import os\nos.system.__call__('ls')", 2),
    ("import pandas as pd\npd.io.common.os.system('ls')", 2),
    ("import numpy\nx = numpy.lib.npyio.os\nx.system('ls')", 3),
    ("(o := __import__('os')).system('ls')", 1),
    ("import multiprocessing\nclass W(multiprocessing.Process):\n    pass", 2),
    ("import asyncio\nasync def main():\n    await asyncio.create_subprocess_exec('ls')", 3),
]


@pytest.mark.parametrize(("code", "line"), PROCESS)
def test_process(code: str, line: int, workdir: Path) -> None:
    assert_flags(code, line, "process", workdir)


# --- file-write ----------------------------------------------------------------------------

FILE_WRITE = [
    ("open('/etc/passwd', 'w')", 1),
    ("open('../x.txt', 'a')", 1),
    ("open('~/x.txt', 'x')", 1),
    ("open('data/../../x', 'r+')", 1),
    ("open(path, 'w')", 1),
    ("open(path, mode='wb')", 1),
    ("open('out.txt', mode)", 1),
    ("open('out.txt', mode=m)", 1),
    ("open(f'{name}.csv', 'w')", 1),
    ("open('evil.py', 'w')", 1),
    ("open('analysis.ipynb', 'w')", 1),
    ("import io\nio.open('/tmp/x', 'w')", 2),
    ("import codecs\ncodecs.open('/tmp/x', 'w', 'utf-8')", 2),
    ("import shutil\nshutil.rmtree('/')", 2),
    ("import shutil\nshutil.rmtree(d)", 2),
    ("import shutil\nshutil.move('a.txt', '/tmp/a.txt')", 2),
    ("import shutil\nshutil.copy('a.txt', '../a.txt')", 2),
    ("import shutil\nshutil.copytree('a', target)", 2),
    ("import shutil\nshutil.rmtree('.')", 2),
    ("import os\nos.remove('/etc/hosts')", 2),
    ("import os\nos.unlink(p)", 2),
    ("import os\nos.rmdir('/tmp/x')", 2),
    ("import os\nos.removedirs('../a/b')", 2),
    ("import os\nos.rename('a', '/tmp/b')", 2),
    ("import os\nos.replace(src, 'b')", 2),
    ("import os\nos.truncate('/etc/hosts', 0)", 2),
    ("import os\nos.chmod('/etc/hosts', 0o777)", 2),
    ("import os\nos.chown(p, 0, 0)", 2),
    ("import os\nos.symlink('/etc', 'etc')", 2),
    ("import os\nos.chdir('/')", 2),
    ("import os\nfd = os.open('/etc/x', os.O_WRONLY | os.O_CREAT)", 2),
    ("from pathlib import Path\nPath('/etc/x').write_text('x')", 2),
    ("from pathlib import Path\nPath.home().joinpath('x').write_bytes(b'')", 2),
    ("from pathlib import Path\np = Path('/tmp') / 'x'\np.unlink()", 3),
    ("from pathlib import Path\nPath(d).rmdir()", 2),
    ("from pathlib import Path\nPath('a.txt').rename('/tmp/a.txt')", 2),
    ("from pathlib import Path\nPath('a.txt').replace(target)", 2),
    ("import pathlib\npathlib.Path('/x').touch()", 2),
    ("import pathlib\npathlib.Path(out).mkdir()", 2),
    ("from pathlib import Path\np = Path('/etc/x')\nwith p.open('w') as f:\n    pass", 3),
    ("import numpy as np\nnp.save(path, a)", 2),
    ("import numpy as np\nnp.savetxt('/tmp/a.txt', a)", 2),
    ("import numpy as np\nnp.savez(f'{d}/a', a=a)", 2),
    ("a.tofile(path)", 1),
    ("import pandas as pd\ndf = pd.DataFrame()\ndf.to_csv('/tmp/x.csv')", 3),
    ("df.to_parquet(out_path)", 1),
    ("df.to_excel(excel_writer=p)", 1),
    ("df.to_csv(path_or_buf=p, index=False)", 1),
    ("df.to_json(orient='records', path_or_buf='/tmp/x.json')", 1),
    ("import matplotlib.pyplot as plt\nplt.savefig('/tmp/fig.png')", 2),
    ("import joblib\njoblib.dump(model, '../model.joblib')", 2),
    ("import tarfile\ntarfile.open('/tmp/x.tar', 'w')", 2),
    ("import numpy as np\nnp.memmap(path, dtype='f8')", 2),
    ("import os\nbase = '/etc'\nopen(os.path.join(base, 'x'), 'w')", 3),
    ("name = 'out.csv'\nname = '/etc/x'\nopen(name, 'w')", 3),
    ("import shutil as s\ngetattr(s, 'rmtree')('/')", 2),
    ("from shutil import *\nrmtree('/tmp/x')", 2),
    ("import os\nos.rename('a.txt', 'b.py')", 2),
    ("f = open\nf('/etc/x', 'w')", 2),
    ("print('x', file=open('/tmp/log', 'a'))", 1),
]


@pytest.mark.parametrize(("code", "line"), FILE_WRITE)
def test_file_write(code: str, line: int, workdir: Path) -> None:
    assert_flags(code, line, "file-write", workdir)


def test_file_write_through_a_symlink_inside_cwd_is_refused(workdir: Path) -> None:
    (workdir / "escape").symlink_to("/tmp")
    assert hits("open('escape/x.txt', 'w')", workdir) == {(1, "file-write")}
    assert hits("open('escape.txt', 'w')", workdir) == set()


def test_cwd_defaults_to_the_current_directory(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(workdir)
    (workdir / "out").symlink_to("/tmp")
    assert hits("open('out/x', 'w')") == {(1, "file-write")}
    assert hits("open('x', 'w')") == set()


def test_file_write_message_explains_computed_target(workdir: Path) -> None:
    (finding,) = check("open(path, 'w')", cwd=workdir)
    assert "computed" in finding.message()
    assert "运行时" in finding.message("zh")


# --- network -------------------------------------------------------------------------------

NETWORK = [
    ("import socket", 1),
    ("import socket as s\ns.create_connection(('x', 80))", 1),
    ("from socket import socket", 1),
    ("import urllib.request", 1),
    ("import urllib\nurllib.request.urlopen('http://x')", 2),
    ("from urllib.request import urlopen", 1),
    ("import http.client", 1),
    ("from http.server import HTTPServer", 1),
    ("import requests\nrequests.get(url)", 1),
    ("import requests\nrequests.get(url)", 2),
    ("import httpx", 1),
    ("import aiohttp", 1),
    ("import ftplib", 1),
    ("import smtplib", 1),
    ("import telnetlib", 1),
    ("import poplib", 1),
    ("import imaplib", 1),
    ("import xmlrpc.client", 1),
    ("import websocket", 1),
    ("import websockets", 1),
    ("import paramiko", 1),
    ("import openai", 1),
    ("from openai import OpenAI\nOpenAI().chat.completions.create()", 1),
    ("__import__('socket').socket()", 1),
    ("import asyncio\nasyncio.open_connection('x', 1)", 2),
    ("import pandas as pd\npd.read_csv('https://example.com/x.csv')", 2),
    ("from sklearn.datasets import fetch_openml\nfetch_openml('mnist_784')", 1),
    ("import sklearn.datasets as d\nd.fetch_california_housing()", 2),
]


@pytest.mark.parametrize(("code", "line"), NETWORK)
def test_network(code: str, line: int, workdir: Path) -> None:
    assert_flags(code, line, "network", workdir)


# --- dynamic-code --------------------------------------------------------------------------

DYNAMIC = [
    ("eval('1 + 1')", 1),
    ("exec('x = 1')", 1),
    ("c = compile('1', 'f', 'eval')", 1),
    ("import builtins\nbuiltins.eval('1')", 2),
    ("import builtins as b\nb.exec('1')", 2),
    ("from builtins import eval as e\ne('1')", 1),
    ("f = eval\nf('1')", 1),
    ("__import__(name)", 1),
    ("import importlib\nimportlib.import_module(name)", 2),
    ("import importlib\nimportlib.import_module('o' + 's')", 2),
    ("import os\ngetattr(os, 'sys' + 'tem')('ls')", 2),
    ("import os\ngetattr(os, name)", 2),
    ("getattr(obj, 'sys' + 'tem')", 1),
    ("getattr(obj, f'{a}{b}')", 1),
    ("getattr(obj, ''.join(['s', 'y']))", 1),
    ("getattr(obj, 'metsys'[::-1])", 1),
    ("import os\nsetattr(os, name, 1)", 2),
    ("delattr(obj, 'a' + 'b')", 1),
    ("globals()['x']", 1),
    ("locals()['x'] = 1", 1),
    ("vars()['eval']", 1),
    ("g = globals()\ng['eval']('1')", 2),
    ("globals().update(x=1)", 1),
    ("__builtins__['eval']", 1),
    ("f.__globals__['os']", 1),
    ("().__class__.__bases__[0].__subclasses__()", 1),
    ("f.__code__", 1),
    ("import os\nos.__dict__['system']", 2),
    ("getattr(f, '__globals__')", 1),
    ("import pickle\npickle.loads(data)", 2),
    ("from pickle import load\nload(f)", 1),
    ("import marshal\nmarshal.loads(b)", 1),
    ("import dill", 1),
    ("import cloudpickle\ncloudpickle.loads(b)", 1),
    ("import runpy\nrunpy.run_path('x.py')", 1),
    ("import code\ncode.InteractiveInterpreter().runsource('1')", 1),
    ("import types\ntypes.FunctionType(c, {})", 2),
    ("import types\ntypes.CodeType(0, 0)", 2),
    ("from types import FunctionType as F\nF(c, {})", 2),
    ("import sys\nsys.modules[name]", 2),
    ("import sys\nsys._getframe().f_globals", 2),
    ("import sys\nsys.path.insert(0, 'x')", 2),
    ("import sys\nsys.path += ['x']", 2),
    ("import os\nhelper(os)", 2),
    ("import numpy as np\nnp.load('a.npy', allow_pickle=True)", 2),
    ("import joblib\nm = joblib.load('model.joblib')", 2),
    ("get_ipython().system('ls')", 1),
    ("import timeit\ntimeit.timeit('import os', number=1)", 2),
    ("import functools\nfunctools.reduce(getattr, ['a'], obj)", 2),
    ("import builtins\nbuiltins.print = lambda *a: None", 2),
    ("import logging.config\nlogging.config.dictConfig(cfg)", 1),
    ("import gc\ngc.get_objects()", 2),
    ("eval.__call__('1')", 1),
    ("import os\nvars(os)['system']('ls')", 2),
    ("import operator\noperator.attrgetter('__globals__')(f)", 2),
    ("import pandas as pd\npd.eval(\"__import__('os')\")", 2),
    ("import os\ndef f():\n    return os", 3),
    ("import os\nx = [os]", 2),
    ("g = getattr\ng(obj, 'x')", 1),
    ("import sys\nm = sys.modules\nm['os']", 2),
    ("import sys\nsys.modules['x'] = m", 2),
]


@pytest.mark.parametrize(("code", "line"), DYNAMIC)
def test_dynamic_code(code: str, line: int, workdir: Path) -> None:
    assert_flags(code, line, "dynamic-code", workdir)


# --- native-code ---------------------------------------------------------------------------

NATIVE = [
    ("import ctypes", 1),
    ("import ctypes as c\nc.CDLL(None)", 2),
    ("from ctypes import CDLL, c_char_p", 1),
    ("import ctypes.util", 1),
    ("import cffi", 1),
    ("from cffi import FFI\nFFI().dlopen(None)", 1),
    ("__import__('ctypes').pythonapi", 1),
    ("import importlib\nimportlib.import_module('ctypes')", 2),
]


@pytest.mark.parametrize(("code", "line"), NATIVE)
def test_native_code(code: str, line: int, workdir: Path) -> None:
    assert_flags(code, line, "native-code", workdir)


# --- secrets -------------------------------------------------------------------------------

SECRETS = [
    ("import os\nos.environ['OPENAI_API_KEY']", 2),
    ("import os\nos.environ.get('GITHUB_TOKEN')", 2),
    ("import os\nos.getenv('aws_secret_access_key')", 2),
    ("import os\nos.getenv('DB_PASSWORD', '')", 2),
    ("import os\nos.environ.get('MYSQL_PASSWD')", 2),
    ("import os\nos.environ.pop('GOOGLE_APPLICATION_CREDENTIALS')", 2),
    ("import os\nos.environb[b'API_KEY']", 2),
    ("from os import environ\nenviron['HF_TOKEN']", 2),
    ("from os import getenv as g\ng('SECRET')", 2),
    ("import os\ne = os.environ\ne['API_KEY']", 3),
    ("import os\nos.environ[name]", 2),
    ("import os\nos.getenv(name)", 2),
    ("import os\nprint(os.environ)", 2),
    ("import os\nenv = dict(os.environ)", 2),
    ("import os\nfor k in os.environ:\n    pass", 2),
    ("import os\nos.environ.copy()", 2),
    ("import os\nlist(os.environ.items())", 2),
    ("import os\nf(**os.environ)", 2),
    ("from os import *\nenviron['API_KEY']", 2),
    # credential stores, however the path is spelt (more in tests/test_secrets.py)
    ("from pathlib import Path\n(Path.home() / '.ssh' / 'id_rsa').read_text()", 2),
    ("from pathlib import Path\nPath('~/.ssh/id_ed25519').expanduser().read_bytes()", 2),
    ("import os\nopen(os.path.expanduser('~/.aws/credentials')).read()", 2),
    ("import os\nopen(os.path.join(os.path.expanduser('~'), '.ssh', 'id_rsa'))", 2),
    ("from pathlib import Path\nPath.home().joinpath('.kube', 'config').read_text()", 2),
    ("import os\nhome = os.environ['HOME']\nopen(f'{home}/.netrc').read()", 3),
    ("import shutil\nshutil.copy('/etc/shadow', 'shadow.txt')", 2),
    ("open('.env').read()", 1),
    ("import keyring\nkeyring.get_password('svc', 'me')", 2),
]


@pytest.mark.parametrize(("code", "line"), SECRETS)
def test_secrets(code: str, line: int, workdir: Path) -> None:
    assert_flags(code, line, "secrets", workdir)


# --- kernel-exit ---------------------------------------------------------------------------

KERNEL_EXIT = [
    ("import sys\nsys.exit(0)", 2),
    ("from sys import exit as bye\nbye()", 1),
    ("exit()", 1),
    ("quit()", 1),
    ("import os\nos._exit(1)", 2),
    ("import os\nos.abort()", 2),
    ("raise SystemExit", 1),
    ("raise SystemExit(1)", 1),
    ("raise KeyboardInterrupt()", 1),
    ("class Bye(SystemExit):\n    pass", 1),
    ("import builtins\nbuiltins.exit()", 2),
    ("e = SystemExit\nraise e", 2),
    ("import _thread\n_thread.interrupt_main()", 2),
]


@pytest.mark.parametrize(("code", "line"), KERNEL_EXIT)
def test_kernel_exit(code: str, line: int, workdir: Path) -> None:
    assert_flags(code, line, "kernel-exit", workdir)


def test_every_rule_is_tested() -> None:
    assert set(RULES) == {
        "process",
        "file-write",
        "network",
        "dynamic-code",
        "native-code",
        "secrets",
        "kernel-exit",
    }


# --- what must run -------------------------------------------------------------------------

ALLOWED = [
    """
    import math, statistics, random, itertools, functools, collections, time
    import numpy as np
    rng = np.random.default_rng(0)
    x = rng.normal(size=1000)
    result = (float(np.mean(x)), statistics.median(x.tolist()), math.sqrt(2))
    t0 = time.perf_counter()
    pairs = list(itertools.combinations(range(5), 2))
    c = collections.Counter(random.choice("ab") for _ in range(10))
    f = functools.lru_cache(maxsize=None)(lambda n: n)
    """,
    """
    from joblib import Parallel, delayed, parallel_config
    def is_prime(n):
        return n > 1 and all(n % d for d in range(2, int(n ** 0.5) + 1))
    with parallel_config(backend="aigc", n_jobs=-1):
        flags = Parallel()(delayed(is_prime)(n) for n in range(10000))
    result = [n for n, ok in enumerate(flags) if ok]
    """,
    """
    import concurrent.futures as cf
    with cf.ProcessPoolExecutor() as ex:
        result = list(ex.map(abs, range(10)))
    with cf.ThreadPoolExecutor(max_workers=4) as ex:
        futs = [ex.submit(pow, 2, i) for i in range(10)]
    """,
    """
    from sklearn.datasets import load_digits
    from sklearn.model_selection import GridSearchCV, cross_val_score
    from sklearn.svm import SVC
    X, y = load_digits(return_X_y=True)
    search = GridSearchCV(SVC(), {"C": [1, 10]}, n_jobs=-1).fit(X, y)
    scores = cross_val_score(SVC(), X, y, cv=5, n_jobs=-1)
    model = search.best_estimator_
    model.fit(X, y)
    result = {"best": search.best_params_, "cv": scores.mean()}
    """,
    """
    import glob
    import pandas as pd
    frames = [pd.read_csv(p) for p in glob.glob("data/*.csv")]
    df = pd.concat(frames)
    for p in glob.glob("*.txt"):
        with open(p, encoding="utf-8") as fh:
            text = fh.read()
        with open(p, "rb") as fh:
            raw = fh.read()
    summary = df.describe()
    text = df.to_csv()
    df.to_csv("summary.csv", index=False)
    df.to_parquet("out/summary.parquet")
    """,
    """
    import matplotlib
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots()
    ax.plot([1, 2, 3])
    fig.savefig("figure.png")
    plt.savefig("plots/figure.pdf")
    plt.show()
    """,
    """
    import os
    from pathlib import Path
    out = os.path.join("results", "table.csv")
    os.makedirs("results", exist_ok=True)
    n = os.cpu_count()
    home = os.environ.get("HOME")
    user = os.getenv("USER", "anon")
    threads = os.environ["OMP_NUM_THREADS"] if "OMP_NUM_THREADS" in os.environ else "1"
    os.environ["OMP_NUM_THREADS"] = "1"
    os.environ.setdefault("MKL_NUM_THREADS", "1")
    with open("out.csv", "w") as f:
        f.write("a,b\\n")
    with open(out, "a", encoding="utf-8") as f:
        f.write("1,2\\n")
    Path("notes.txt").write_text("hi")
    report = Path("results") / "report.md"
    report.write_text("# report")
    exists = os.path.exists("out.csv")
    """,
    """
    import numpy as np
    a = np.arange(10)
    np.save("x.npy", a)
    np.savetxt("x.txt", a)
    b = np.load("x.npy")
    a.tofile("raw.bin")
    """,
    """
    def eval_model(model, X, y):
        return model.score(X, y)
    system = "linux"
    print(system)
    exit_code = 0
    def compile_report(rows):
        return "\\n".join(rows)
    class Model:
        def save(self, path):
            return path
    m = Model()
    m.save(path_from_user)
    result = eval_model, compile_report(["a"])
    """,
    """
    import sys
    print(sys.version, sys.platform, sys.getrecursionlimit())
    import signal
    sig = signal.SIGINT
    try:
        pass
    except (SystemExit, KeyboardInterrupt):
        raise
    import importlib
    np = importlib.import_module("numpy")
    import importlib.metadata
    v = importlib.metadata.version("numpy")
    ok = isinstance(print, type(len))
    value = getattr(model, "coef_", None)
    name = "n_estimators"
    value = getattr(model, name)
    setattr(model, "alpha", 0.1)
    has = hasattr(model, name)
    """,
    """
    import urllib.parse
    q = urllib.parse.urlencode({"a": 1})
    import json, re, csv, datetime, string, decimal, fractions
    data = json.loads('{"a": "https://example.com"}')
    pat = re.compile(r"\\d+")
    import multiprocessing
    n = multiprocessing.cpu_count()
    with multiprocessing.Pool(2) as pool:
        squares = pool.map(abs, range(4))
    import threading
    lock = threading.Lock()
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        pass
    """,
    """
    import pandas as pd
    df = pd.DataFrame({"a": [1, 2]})
    df = df.rename(columns={"a": "b"})
    s = "abc".replace("a", "b")
    e = df.eval("b * 2")
    ex = df["b"].astype(str).str.extract(r"(\\d)")
    """,
    """
    \"\"\"Sales by region; reads data.csv, never ~/.ssh or .env files.\"\"\"
    import os
    from pathlib import Path
    import pandas as pd
    env = {"stage": "dev"}
    home = os.environ.get("HOME")
    df = pd.read_csv("data.csv")
    conda = Path("environment.yml").read_text()
    venv = Path(".venv") / "pyvenv.cfg"
    rc = open(".envrc").read() if os.path.exists(".envrc") else ""
    cookies = df["Cookies"].sum() + df["Login Data"].count()
    cfg = Path("results") / "config"
    style = Path.home() / ".config" / "matplotlib" / "matplotlibrc"
    shadow = pd.read_csv("shadow_prices.csv")
    logins = pd.read_json("logins.json")
    """,
]


@pytest.mark.parametrize("code", ALLOWED)
def test_ordinary_code_is_not_flagged(code: str, workdir: Path) -> None:
    findings = check(textwrap.dedent(code), cwd=workdir)
    assert findings == [], format_findings(findings)


# --- API -----------------------------------------------------------------------------------


def test_syntax_error_propagates_unchanged() -> None:
    with pytest.raises(SyntaxError) as info:
        check("def f(:\n    pass")
    assert info.type is SyntaxError
    assert info.value.lineno == 1


def test_findings_are_sorted_and_carry_position_and_snippet(workdir: Path) -> None:
    code = "import os\nx = 1\nos.system('rm -rf ' + '/' * 200)\nimport socket\n"
    findings = check(code, cwd=workdir)
    assert [(f.line, f.rule) for f in findings] == [(3, "process"), (4, "network")]
    first = findings[0]
    assert isinstance(first, Finding)
    assert first.col == 0
    assert first.snippet.startswith("os.system('rm -rf '")
    assert len(first.snippet) <= 80
    assert first.message() == (f"line 3: {RULES['process'][0]} (os.system) [process]")


def test_messages_in_english_and_chinese(workdir: Path) -> None:
    (finding,) = check("import os\nos.system('ls')", cwd=workdir)
    assert finding.message("en").startswith("line 2: ")
    assert finding.message("en").endswith("(os.system) [process]")
    zh = finding.message("zh")
    assert zh.startswith("第 2 行：")
    assert RULES["process"][1] in zh


def test_format_findings(workdir: Path) -> None:
    findings = check("import socket\nimport os\nos.environ['API_KEY']\n", cwd=workdir)
    en = format_findings(findings).splitlines()
    assert len(en) == len(findings) + 2
    assert "line 1:" in en[1] and "[network]" in en[1]
    assert "line 3:" in en[2] and "[secrets]" in en[2]
    assert en[-1].startswith("Next:")
    zh = format_findings(findings, "zh").splitlines()
    assert "第 1 行" in zh[1]
    assert zh[-1].startswith("下一步")
    assert format_findings([]) == "No findings: the code may run."


def test_a_credential_file_finding_names_the_store_in_both_languages(workdir: Path) -> None:
    code = "from pathlib import Path\nkey = (Path.home() / '.ssh' / 'id_rsa').read_text()"
    (finding,) = check(code, cwd=workdir)
    assert finding.rule == "secrets" and finding.line == 2
    assert finding.message().endswith("('~/.ssh/id_rsa' is an SSH private key) [secrets]")
    assert "'~/.ssh/id_rsa' 是SSH 私钥" in finding.message("zh")
    assert RULES["secrets"][1] in finding.message("zh")


def test_rules_have_both_languages() -> None:
    for rule, (en, zh) in RULES.items():
        assert en and zh, rule
        assert any("\u4e00" <= ch <= "\u9fff" for ch in zh), rule
