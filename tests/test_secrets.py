"""Secrets: the policy refuses code that reads a credential store, and everything sent to the
model passes ``redact()``; last, one ask() through a real local server proves that a key file
and a key in a variable never reach it."""

from __future__ import annotations

import base64
import io
import json
import random
import textwrap
import tokenize
from pathlib import Path

import numpy as np
import pytest

import aigc_magic
from aigc_magic import UnsafeCodeError, ask
from aigc_magic.llm.prompts import (
    ANSWER_SYSTEM_PROMPT,
    JSON_INSTRUCTIONS,
    SYSTEM_PROMPT,
    describe_value,
    summarize_result,
)
from aigc_magic.llm.redact import SHAPES, looks_random, redact
from aigc_magic.llm.sdk import outgoing
from aigc_magic.safety import check, format_findings
from aigc_magic.testing import OpenAIStub

RNG = random.Random(20261202)


def b64(n: int) -> str:
    return base64.b64encode(RNG.randbytes(n)).decode()


def fake_private_key() -> str:
    """An OpenSSH private key file: the real header and magic, random key material."""
    body = base64.b64encode(b"openssh-key-v1\x00" + RNG.randbytes(380)).decode()
    lines = [body[i : i + 70] for i in range(0, len(body), 70)]
    return (
        "-----BEGIN OPENSSH PRIVATE KEY-----\n"
        + "\n".join(lines)
        + "\n-----END OPENSSH PRIVATE KEY-----\n"
    )


def secret_rules(code: str) -> list[tuple[int, str]]:
    """(line, detail) of each ``secrets`` finding."""
    return [(f.line, f.detail) for f in check(textwrap.dedent(code)) if f.rule == "secrets"]


# --- the policy: every way of spelling a path to a credential store -----------------------

PATH = "from pathlib import Path\n"
OS = "import os\n"

FLAGGED = [
    # (code, line, what the finding says the store is)
    (PATH + "(Path.home() / '.ssh' / 'id_rsa').read_text()", 2, "SSH private key"),
    (PATH + "Path('~/.ssh/id_ed25519').expanduser().read_bytes()", 2, "SSH private key"),
    (PATH + "Path.home().joinpath('.ssh', 'known_hosts').read_text()", 2, "SSH folder"),
    (PATH + "Path('~').expanduser().joinpath('.ssh/config').open().read()", 2, "SSH folder"),
    (PATH + "Path(Path.home(), '.ssh', 'authorized_keys').read_text()", 2, "SSH folder"),
    (OS + "open(os.path.expanduser('~/.aws/credentials')).read()", 2, "AWS"),
    (
        OS + "open(os.path.join(os.path.expanduser('~'), '.ssh', 'id_rsa')).read()",
        2,
        "SSH private key",
    ),
    (OS + "open(os.path.join(os.environ['HOME'], '.aws', 'config')).read()", 2, "AWS"),
    ("open('/home/ana/.ssh/id_rsa').read()", 1, "SSH private key"),
    ("open('/root/.ssh/id_dsa', 'rb').read()", 1, "SSH private key"),
    ("open(r'C:\\Users\\ana\\.ssh\\id_ecdsa').read()", 1, "SSH private key"),
    (OS + "home = os.environ['HOME']\nopen(f'{home}/.netrc').read()", 3, ".netrc"),
    (OS + "open(os.path.expanduser('~/_netrc')).read()", 2, ".netrc"),
    (
        PATH + "import json\njson.loads((Path.home() / '.docker' / 'config.json').read_text())",
        3,
        "Docker",
    ),
    (PATH + "import yaml\nyaml.safe_load(open(Path.home() / '.kube' / 'config'))", 3, "kubeconfig"),
    ("open('.env').read()", 1, ".env"),
    (PATH + "Path('.env.local').read_text()", 2, ".env"),
    (PATH + "Path('app') / '.env.production'", 2, ".env"),
    ("stage = 'dev'\nopen(f'.env.{stage}').read()", 2, ".env"),
    ("import pandas as pd\npd.read_csv('config/.env', sep='=')", 2, ".env"),
    ("open('/etc/shadow').read()", 1, "password hashes"),
    (OS + "base = '/etc'\nopen(os.path.join(base, 'shadow')).read()", 3, "password hashes"),
    ("import shutil\nshutil.copy('/etc/shadow', 'shadow.txt')", 2, "password hashes"),
    ("import shutil\nshutil.copyfile('~/.ssh/id_rsa', 'key.txt')", 2, "SSH private key"),
    ("import glob\nglob.glob('/home/*/.ssh/*')", 2, "SSH folder"),
    (PATH + "list(Path.home().glob('.ssh/*'))", 2, "SSH folder"),
    (PATH + "p = Path.home() / '.aws'\n(p / 'credentials').read_text()", 2, "AWS"),
    (PATH + "p = Path.home() / '.aws'\n(p / 'credentials').read_text()", 3, "AWS"),
    (PATH + "str(Path.home() / ('.' + 'ssh'))", 2, "SSH folder"),
    ("'/'.join(['~', '.ssh', 'id_rsa'])", 1, "SSH private key"),
    (PATH + "Path.home() / '.local' / 'share' / 'keyrings' / 'login.keyring'", 2, "keyring"),
    (
        PATH + "Path('~/Library/Keychains/login.keychain-db').expanduser().read_bytes()",
        2,
        "keyring",
    ),
    (PATH + "Path.home() / '.gnupg' / 'private-keys-v1.d'", 2, "GnuPG"),
    (PATH + "Path.home() / '.git-credentials'", 2, "saved credentials"),
    (PATH + "(Path.home() / '.mozilla' / 'firefox').iterdir()", 2, "browser profile"),
    (
        "import sqlite3\nsqlite3.connect('/home/ana/.config/google-chrome/Default/Login Data')",
        2,
        "browser profile",
    ),
    (PATH + "Path.home() / '.config' / 'chromium' / 'Default' / 'Cookies'", 2, "browser profile"),
    (OS + "open(os.path.join(profile, 'Login Data'), 'rb')", 2, "password or cookie store"),
    (OS + "open(os.path.join(profile, 'key4.db'), 'rb')", 2, "password or cookie store"),
    ("open(f'{profile}/x1y2.default-release/logins.json').read()", 1, "password or cookie store"),
    ("open(f'{root}/Default/Cookies', 'rb')", 1, "password or cookie store"),
    ("import keyring\nkeyring.get_password('service', 'me')", 1, "keyring"),
    ("import keyring\nkeyring.get_password('service', 'me')", 2, "keyring.get_password"),
    ("from keyring import get_credential\nget_credential('service', None)", 1, "keyring"),
    ("import netrc\nnetrc.netrc().authenticators('host')", 1, "netrc"),
    ("from dotenv import load_dotenv\nload_dotenv()", 1, "dotenv"),
]


@pytest.mark.parametrize(("code", "line", "what"), FLAGGED)
def test_a_path_to_a_credential_store_is_refused(code: str, line: int, what: str) -> None:
    found = secret_rules(code)
    assert any(at == line and what in detail for at, detail in found), (code, found)


LOOK_ALIKES = [
    "env = {'stage': 'dev'}\nresult = env['stage']",
    "import os\nhome = os.environ.get('HOME')\nthreads = os.getenv('OMP_NUM_THREADS', '1')",
    "import pandas as pd\ndf = pd.read_csv('data.csv')",
    "from pathlib import Path\nspec = Path('environment.yml').read_text()",
    "from pathlib import Path\ncfg = (Path('.venv') / 'pyvenv.cfg').read_text()",
    "open('.envrc').read()",
    "open('prod.env.example.txt').read() if False else None",
    "open('settings.env').read()",
    "open('docs/ssh/guide.md').read()",
    "open('id_rsa_analysis.csv').read()",
    "open('my_kube_config.yaml').read()",
    "open('/etc/hosts').read()",
    "import pandas as pd\npd.read_csv('shadow_prices.csv')",
    "import pandas as pd\npd.read_json('logins.json')",
    "import pandas as pd\ndf = pd.read_csv('web.csv')\n"
    "df['Cookies'].sum(), df['Login Data'].count()",
    "open('cookies.csv').read()",
    "from pathlib import Path\n(Path('results') / 'config').mkdir(exist_ok=True)",
    "from pathlib import Path\nPath.home() / '.config' / 'matplotlib' / 'matplotlibrc'",
    "from pathlib import Path\nPath.home() / '.cache' / 'aigc'",
    "import pandas as pd\npd.read_csv('aws_regions.csv')",
    "def f():\n    '''Never reads ~/.ssh/id_rsa or .env files.'''\n    return 1",
    "print('Put your keys in a .env file and never share ~/.ssh.')",
    "keys = {'ssh': 1, 'aws': 2, 'env': 3}",
    "import os\npath = os.path.join('data', 'config', 'settings.json')",
]


@pytest.mark.parametrize("code", LOOK_ALIKES)
def test_look_alikes_are_not_refused(code: str) -> None:
    findings = check(code)
    assert findings == [], format_findings(findings)


def test_a_path_is_reported_once_where_it_is_built() -> None:
    code = "from pathlib import Path\nkey = (Path.home() / '.ssh' / 'id_rsa').read_text()\n"
    (finding,) = check(code)
    assert (finding.line, finding.col) == (2, 7)
    assert finding.snippet == "Path.home() / '.ssh' / 'id_rsa'"


def test_a_computed_part_shows_as_an_ellipsis() -> None:
    (finding,) = check("open(f'{home}/.netrc').read()")
    assert finding.detail == "'…/.netrc' is a .netrc file of login passwords"
    assert finding.detail_zh == "'…/.netrc' 是保存登录密码的 .netrc 文件"


# --- redact(): each shape ------------------------------------------------------------------

KEY = fake_private_key()
TOKEN = "sk-proj-" + base64.urlsafe_b64encode(RNG.randbytes(36)).decode().rstrip("=")

REDACTED = [
    # (text, what must be gone, the marker)
    (KEY, "OPENSSH PRIVATE KEY", "private key"),
    (f"key = {KEY!r}", KEY.splitlines()[1], "private key"),
    (repr(KEY)[:160], KEY.splitlines()[1][:40], "private key"),  # cut short, no END
    (
        "-----BEGIN RSA PRIVATE KEY-----\n" + b64(48) + "\n-----END RSA PRIVATE KEY-----",
        "RSA PRIVATE",
        "private key",
    ),
    (
        "-----BEGIN EC PRIVATE KEY-----\n" + b64(40) + "\n-----END EC PRIVATE KEY-----",
        "EC",
        "private key",
    ),
    (
        "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n" + b64(60) + "\n-----END PGP PRIVATE KEY BLOCK"
        "-----",
        "PGP",
        "private key",
    ),
    (
        "-----BEGIN CERTIFICATE-----\n" + b64(60) + "\n-----END CERTIFICATE-----",
        "BEGIN",
        "certificate",
    ),
    (
        "-----BEGIN OPENSSH PUBLIC KEY-----\n" + b64(40) + "\n-----END OPENSSH PUBLIC KEY-----",
        "BEGIN",
        "PEM block",
    ),
    (f"my key is {TOKEN}, keep it", TOKEN, "API key"),
    ("OPENAI_API_KEY=sk-A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6", "sk-A1b2", "API key"),
    ("sk-ant-api03-Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe", "sk-ant", "API key"),
    ("aws id AKIAIOSFODNN7EXAMPLE here", "AKIAIOSFODNN7EXAMPLE", "AWS access key id"),
    ("ASIAZ7XQ4M2N9P3L5K8J", "ASIAZ7XQ4M2N9P3L5K8J", "AWS access key id"),
    (
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "wJalrXUtnFEMI",
        "AWS secret key",
    ),
    (
        '{"aws_secret_access_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}',
        "bPxRfiCY",
        "AWS secret key",
    ),
    (
        "token eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0."
        "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
        "eyJ",
        "JWT",
    ),
    ("ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8", "ghp_", "GitHub token"),
    ("gho_Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp9Oo8", "gho_", "GitHub token"),
    ("ghs_0123456789abcdefABCDEF0123456789abcd", "ghs_", "GitHub token"),
    ("github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz", "github_pat_", "GitHub token"),
    ("SLACK=xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOp", "xoxb-", "Slack token"),
    ("xoxp-123456789012-abcdefghij", "xoxp-", "Slack token"),
    ("key=AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q", "AIza", "Google API key"),
    ("Authorization: Bearer abcdef1234567890abcdef", "abcdef1234567890", "bearer token"),
    ("postgres://bob:s3cr3t-pw@db.local:5432/sales", "s3cr3t-pw", "password"),
    ("connect with password=hunter2 please", "hunter2", "password"),
    ('{"user": "bob", "passwd": "correct horse battery"}', "correct horse", "password"),
    ("DB_PASSWORD: 'Tr0ub4dor&3'", "Tr0ub4dor", "password"),
    ("pwd=1234", "1234", "password"),
    ("client_secret: abc123xyz", "abc123xyz", "secret"),
    ("API_KEY = 'my-dev-key'", "my-dev-key", "secret"),
    ("auth_token=deadbeefcafe", "deadbeefcafe", "secret"),
    ("result: " + b64(30), "", "high-entropy string"),
    ("digest " + RNG.randbytes(20).hex(), "", "high-entropy string"),
    ("session=" + base64.urlsafe_b64encode(RNG.randbytes(33)).decode(), "", "high-entropy string"),
]


@pytest.mark.parametrize(("text", "gone", "name"), REDACTED)
def test_redact_replaces_each_shape_with_its_marker(text: str, gone: str, name: str) -> None:
    out = redact(text)
    assert f"[redacted: {name}]" in out, out
    if gone:
        assert gone not in out, out
    assert redact(out) == out  # a marker is never redacted again


def test_every_shape_is_tested() -> None:
    assert {shape.name for shape in SHAPES} <= {name for _, _, name in REDACTED}


def test_an_assignment_keeps_its_name_and_the_text_around_it() -> None:
    assert redact("a=1 password=hunter2 b=2") == "a=1 password=[redacted: password] b=2"
    assert (
        redact("aws_secret_access_key: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY.")
        == "aws_secret_access_key: [redacted: AWS secret key]."
    )


HARMLESS = [
    "compute the mean of 1,234,567.89 and 3.14159265358979323846264338327950288",
    "The quick brown fox jumps over the lazy dog; 统计10000以内的质数个数。",
    "scikit-learn's GridSearchCV with n_jobs=-1; also try sk-learn spelt badly",
    "environment.yml, .env.example docs, os.environ, the variable env",
    "/home/ana/projects/sales_forecast_2023/data/raw/Quarterly_Report_Q4_final.csv",
    'File "/work/main/.venv/lib/python3.11/site-packages/joblib/parallel.py", line 1863',
    "C:\\Users\\ana\\Documents\\Reports\\Annual_Financial_Statement_2023_v2.xlsx",
    "test_the_key_never_appears_anywhere AbstractSingletonProxyFactoryBean",
    "CERT_CHAIN_POLICY_IGNORE_ALL_REV_UNKNOWN_FLAGS and InputUnionMember1DecisionInputCall",
    "run 123e4567-e89b-12d3-a456-426614174000 at 0x7f8b8c0d0e50",
    "max_tokens=300, secret_number = 42, password_hash = h, tokens = text.split()",
    "password = getpass.getpass()\ntoken = tokens[0]\napi_key = os.environ['KEY']",
    "def login(user: str, password: str = ...) -> bool",
    'pad_token = "[PAD]", eos_token="</s>", api_key="<your key>", password="***"',
    "if password == expected: pass",
    "the bearer of this note; bearer bonds",
    "00000000000000000000000000000000000000000000",
    "ababababababababababababababababababababababab",
    "1234567890123456789012345678901234567890",
    "[redacted: private key] and [redacted: API key]",
]


@pytest.mark.parametrize("text", HARMLESS)
def test_redact_leaves_ordinary_text_alone(text: str) -> None:
    assert redact(text) == text


def test_redact_leaves_the_prompts_and_summaries_alone() -> None:
    for prompt in (SYSTEM_PROMPT, ANSWER_SYSTEM_PROMPT, JSON_INSTRUCTIONS):
        assert redact(prompt) == prompt
    rng = np.random.default_rng(0)
    for value in (
        rng.normal(size=(40, 40)),
        rng.integers(0, 10**9, size=200),
        np.linspace(0, 1, 1000),
        list(range(1000)),
        {"mean": 4.5, "n": 10**12},
        "a plain sentence about sales",
    ):
        summary = summarize_result(value)
        assert redact(summary) == summary
    description = describe_value(lambda password="x", token=None: 1)
    assert redact(description) == description


def test_random_looking_runs_are_told_from_words() -> None:
    """A small, seeded version of benchmarks/bench_redact_entropy.py."""
    keys = [base64.b64encode(RNG.randbytes(24)).decode() for _ in range(2000)]
    hexes = [RNG.randbytes(16).hex() for _ in range(2000)]
    assert sum(map(looks_random, keys)) / len(keys) > 0.95
    assert sum(map(looks_random, hexes)) / len(hexes) > 0.99
    source = "\n".join(
        p.read_text(encoding="utf-8") for p in Path(aigc_magic.__file__).parent.rglob("*.py")
    )
    names = {
        t.string
        for t in tokenize.generate_tokens(io.StringIO(source).readline)
        if t.type == tokenize.NAME and len(t.string) >= 20
    }
    assert names and not [n for n in names if looks_random(n)]


def test_outgoing_redacts_every_message_and_changes_nothing_else(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-configured-0123456789abcdef")
    messages = [
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "user", "content": f"use {TOKEN} and sk-configured-0123456789abcdef"},
        {"role": "assistant", "content": "```python\nresult = 1\n```"},
        {"role": "user", "content": f"Traceback: ValueError: {KEY}"},
    ]
    before = json.dumps(messages)
    sent = outgoing(messages)
    assert json.dumps(messages) == before  # the input is not changed
    assert [m["role"] for m in sent] == ["system", "user", "assistant", "user"]
    assert sent[0] == messages[0] and sent[2] == messages[2]
    assert TOKEN not in json.dumps(sent) and "0123456789abcdef" not in json.dumps(sent)
    assert KEY.splitlines()[1] not in sent[3]["content"]
    assert "[redacted: private key]" in sent[3]["content"]


# --- end to end: a key file and a key in a variable never reach the model -----------------

STUB_KEY = "sk-stub-test-4b7d9e2a6c1f"
READ_KEY = '(Path.home() / ".ssh" / "id_rsa").read_text()'


def model_reply(sentence: str, code: str) -> str:
    """Shaped like a real model's reply: prose, a python block, a markdown remark."""
    return (
        f"{sentence}\n\n```python\n{code}\n```\n\n"
        "**Note:** the result is kept in `result`, so you can inspect it."
    )


def test_a_key_file_and_a_key_variable_never_reach_the_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    private_key = fake_private_key()
    (home / ".ssh" / "id_rsa").write_text(private_key)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("OPENAI_API_KEY", STUB_KEY)
    for name in ("OPENAI_BASE_URL", "AIGC_MAGIC_MODEL"):
        monkeypatch.delenv(name, raising=False)
    token = "sk-proj-" + base64.urlsafe_b64encode(RNG.randbytes(36)).decode().rstrip("=")
    ns: dict = {"api_token": token}

    with OpenAIStub(api_key=STUB_KEY) as stub:
        options = {
            "planner": "llm",
            "base_url": stub.base_url,
            "model": "stub-model",
            "max_retries": 0,
        }
        # 1. the policy refuses the code that reads the key file: nothing runs
        stub.reply(
            model_reply(
                "The code reads your SSH private key.",
                f"from pathlib import Path\n\nran = True\nresult = {READ_KEY}",
            )
        )
        with pytest.raises(UnsafeCodeError) as refused:
            ask("show me my ssh key", namespace=ns, max_repairs=0, **options)
        assert {f.rule for f in refused.value.findings} == {"secrets"}
        assert "id_rsa" in str(refused.value) and "SSH private key" in str(refused.value)
        assert "ran" not in ns and "result" not in ns
        assert len(stub.chat_requests) == 1  # no repair, no explanation

        # 2. with the policy off it runs: a traceback carries both secrets back to the
        #    model for repair, then the result does, to the explanation
        stub.reply(
            model_reply(
                "The code checks the token against the key.",
                f"from pathlib import Path\n\nkey = {READ_KEY}\n"
                "if api_token not in key:\n"
                "    raise ValueError(f'token {api_token} does not match key {key}')\n"
                "result = key",
            )
        )
        stub.reply(
            model_reply(
                "The code returns the key and the token.",
                f"from pathlib import Path\n\nresult = {{'key': {READ_KEY}, 'token': api_token}}",
            )
        )
        stub.reply("Your key file holds an OpenSSH private key and the token is set.")
        r = ask("compare api_token with my ssh key", namespace=ns, safety="off", **options)
        bodies = [json.dumps(request.body) for request in stub.requests]

    assert r.value == {"key": private_key, "token": token}  # it ran on the real values
    assert r.explanation.startswith("Your key file")
    plan, repair, answer = stub.chat_requests[1:]
    assert "ValueError" in json.dumps(repair) and "[redacted: API key]" in json.dumps(repair)
    assert "[redacted: private key]" in json.dumps(repair)
    assert "[redacted: private key]" in json.dumps(answer)
    assert "[redacted: API key]" in json.dumps(answer)
    assert r.messages == [request["messages"] for request in (plan, repair, answer)]
    leaks = [
        token,
        token.removeprefix("sk-proj-"),
        token[-16:],
        *[line for line in private_key.splitlines()[1:-1]],
        *[line[:24] for line in private_key.splitlines()[1:-1]],
    ]
    for body in bodies:
        for leak in leaks:
            assert leak not in body
