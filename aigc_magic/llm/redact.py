"""Take secrets out of text before it goes to a model.

Everything sent to an LLM passes :func:`redact`: :func:`aigc_magic.llm.sdk.outgoing`
applies it to every message's content, whatever built it, before the API key scrub. That
covers the user's prose, variable descriptions, result summaries, tracebacks, safety
findings and earlier code. It is independent of the safety policy, which stops code from
*reading* secrets; this catches the ones that got into a text anyway (a key pasted into the
prose, a token in a result, a password in a traceback).

Each secret becomes a marker that says what was there, e.g. ``[redacted: private key]``:

======================  =====================================================================
marker                  what it replaces
======================  =====================================================================
``private key``         a PEM ``BEGIN ... PRIVATE KEY`` block (RSA, EC, OpenSSH, PGP...),
                        also cut short (no ``END``) or shown as a ``repr`` with ``\\n``
``certificate``         a PEM ``BEGIN CERTIFICATE`` block
``PEM block``           any other PEM ``BEGIN``/``END`` block
``API key``             ``sk-...`` (OpenAI, ``sk-proj-...``, Anthropic ``sk-ant-...``)
``AWS access key id``   ``AKIA``/``ASIA`` and 16 capitals or digits
``AWS secret key``      the 40 characters after ``aws_secret_access_key =`` or ``:``
``JWT``                 ``eyJ....eyJ....signature``
``GitHub token``        ``ghp_``, ``gho_``, ``ghu_``, ``ghs_``, ``ghr_``, ``github_pat_``
``Slack token``         ``xoxb-``, ``xoxp-``, ``xoxa-``, ``xoxr-``, ``xoxs-``
``Google API key``      ``AIza`` and 35 characters
``bearer token``        the token after ``Bearer`` (16+ characters, at least one digit)
``password``            the password in ``scheme://user:password@host``, and the value of
                        ``password=...``, ``"passwd": "..."``, ``pwd: ...``, ``passphrase``
``secret``              the value of ``secret``, ``token``, ``api_key``, ``access_key``,
                        ``private_key``... assignments (``client_secret: ...``)
``high-entropy string`` a run of 32+ base64/base64url/hex characters that looks random
                        (see below)
======================  =====================================================================

An assignment's value is kept when it is code, not data: ``None``/``True``/a type name, a
dotted name (``os.environ``), a name that is called, indexed or has an attribute read
(``getpass.getpass()``, ``tokens[0]``), or a placeholder (``"<your key>"``, ``"[PAD]"``,
``"***"``). A key that merely contains a word (``max_tokens``, ``secret_number``,
``password_hash``) is not a secret's name.

Random-looking strings
----------------------
A run of at least 32 characters of ``[A-Za-z0-9+/=_-]`` is redacted when it is

- pure hex (one case) with a digit and a letter and Shannon entropy of at least
  :data:`HEX_MIN_ENTROPY` bits per character, or
- otherwise, entropy of at least :data:`BASE64_MIN_ENTROPY` bits per character *and* a mean
  "piece" length of at most :data:`MAX_MEAN_PIECE`, where pieces are the runs a reader sees
  as words: ``[A-Z]?[a-z]+``, ``[A-Z]+``, ``[0-9]+``.

Entropy alone cannot tell a key from a long path or identifier: path runs of the installed
Python reach 4.48 bits at their 99th percentile, while random 32-character base64 has a
median of 4.56. Pieces can: identifiers and paths are made of words (mean piece length:
median 5.8 and 5.6, 1st percentile 3.7 and 3.4), random base64 is not (median 1.8, 99th
percentile 2.7). One run of ``benchmarks/bench_redact_entropy.py`` (Python 3.11 and this
project's virtual environment) measured:

=============================================  ==========  =========================
strings                                        redacted    entropy p1 / p50 / p99
=============================================  ==========  =========================
20,000 random 32-character base64              97.55 %     4.22 / 4.56 / 4.81
20,000 random 32-character URL-safe base64     97.40 %     4.23 / 4.56 / 4.81
20,000 random 32-digit hex                     99.99 %     3.26 / 3.62 / 3.87
20,756 identifiers of 32+ characters           0 %         3.29 / 3.75 / 4.19
60,660 path runs of 32+ characters             0.026 %     3.64 / 4.11 / 4.48
=============================================  ==========  =========================

The 16 path runs it redacts hold a hex digest or a hash-named folder, or are XML test
files named like ``c14n-20/inC14N3``; the random strings it misses happen to hold long
lower-case runs. Measured examples: the URL-safe token ``OLTmUuRNp_I3DZ4mDicTZVCko6bQf1wM``
has 4.75 bits and pieces of 1.6 characters, so it goes; the path run
``site-packages/sklearn/model_selection/_validation`` has 4.02 bits (over the threshold)
but pieces of 7.2, and ``test_the_key_never_appears_anywhere`` 3.42 bits and pieces of 5.0,
so they stay; so does a UUID (3.69 bits). Numbers and numeric reprs never form a run with a
letter in it (``.``, ``,`` and spaces end a run). What is lost: a hash that is the task's
own result (a SHA-256 the user asked for) reaches the model as a marker; the user still sees
the value itself.
"""

from __future__ import annotations

import builtins
import keyword
import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

__all__ = [
    "BASE64_MIN_ENTROPY",
    "HEX_MIN_ENTROPY",
    "MAX_MEAN_PIECE",
    "SHAPES",
    "Shape",
    "entropy",
    "looks_random",
    "marker",
    "mean_piece",
    "redact",
]

# The three thresholds below were chosen from one run of benchmarks/bench_redact_entropy.py,
# which prints the percentiles quoted (seeded random secrets; the identifiers and paths of
# the Python installation it runs on).

#: Bits per character a random-looking base64 run must reach (random 32-character base64:
#: minimum 3.9, 1st percentile 4.23), so repetitive runs such as ``ab12ab12...`` stay.
BASE64_MIN_ENTROPY = 4.0
#: Bits per character a hex run must reach (random 32-digit hex: 1st percentile 3.26; the
#: ceiling is 4.0), so ``000...0a`` and other padding stay.
HEX_MIN_ENTROPY = 3.0
#: Longest mean word-piece length of a random-looking run (random base64: 99th percentile
#: 2.7; identifiers and paths: 1st percentile 3.7 and 3.4).
MAX_MEAN_PIECE = 2.5


@dataclass(frozen=True)
class Shape:
    """One kind of secret :func:`redact` recognises.

    Attributes
    ----------
    name : str
        What the marker says: ``[redacted: <name>]``.
    pattern : re.Pattern
        Finds it. The group named ``secret`` (or ``quoted``, or ``bare``, whichever took
        part) is replaced, the rest of the match is kept; without such groups the whole
        match is replaced.
    keep : callable, optional
        Called with the match; True leaves it alone (code, a placeholder, a word).
    """

    name: str
    pattern: re.Pattern[str]
    keep: Callable[[re.Match[str]], bool] | None = None


def marker(name: str) -> str:
    """The text that stands in for a redacted secret of kind ``name``."""
    return f"[redacted: {name}]"


# -- random-looking runs --------------------------------------------------------------------

_PIECE = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+")
_HEX = re.compile(r"[0-9a-f]+|[0-9A-F]+")


def entropy(text: str) -> float:
    """Shannon entropy of the characters of ``text``, in bits per character."""
    n = len(text)
    return -sum(c / n * math.log2(c / n) for c in Counter(text).values()) if n else 0.0


def mean_piece(text: str) -> float:
    """Mean length of the word-like pieces of ``text`` (``[A-Z]?[a-z]+``, ``[A-Z]+``,
    ``[0-9]+``): about 5 for identifiers and paths, under 2 for random base64."""
    pieces = _PIECE.findall(text)
    return sum(map(len, pieces)) / len(pieces) if pieces else float("inf")


def looks_random(run: str) -> bool:
    """Whether a run of base64/hex characters is a key rather than a word, path or number."""
    if _HEX.fullmatch(run):
        has_digit = any(c.isdigit() for c in run)
        has_letter = any(c.isalpha() for c in run)
        return has_digit and has_letter and entropy(run) >= HEX_MIN_ENTROPY
    return entropy(run) >= BASE64_MIN_ENTROPY and mean_piece(run) <= MAX_MEAN_PIECE


# -- assignments ----------------------------------------------------------------------------

_CODE_WORDS = frozenset(
    [*keyword.kwlist, *dir(builtins), "null", "true", "false", "none", "Any", "Optional", "Union"]
)
_DOTTED = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+")
_PLACEHOLDER = re.compile(r"<[^<>]*>|\[[^\[\]]*\]|\{[^{}]*\}|[*.xX#-]+")


def _is_code_or_placeholder(m: re.Match[str]) -> bool:
    """An assignment whose value is code (a name that is called, a type) or a placeholder."""
    quoted = m.group("quoted")
    if quoted is not None:
        return bool(_PLACEHOLDER.fullmatch(quoted.strip())) or quoted.startswith("[redacted")
    bare = m.group("bare")
    follows = m.string[m.end() : m.end() + 1]
    return (
        bare in _CODE_WORDS
        or bool(_DOTTED.fullmatch(bare))
        or follows in ("(", "[", ".")
        or bool(_PLACEHOLDER.fullmatch(bare))
    )


def _assignment(words: str) -> re.Pattern[str]:
    """``<key>=<value>``, ``"<key>": "<value>"``, ``<key>: <value>`` for a key ending in one
    of ``words`` (``db_password``, ``client_secret``), not ``==`` and not ``:=``."""
    return re.compile(
        rf"(?<![\w-])(?P<key>[\w.-]*?(?:{words}))(?![A-Za-z0-9])[\"']?[ \t]*(?:=(?!=)|:(?!=))"
        r"[ \t]*(?:(?P<q>[\"'])(?P<quoted>[^\"'\n]+)(?P=q)"
        r"|(?P<bare>[^\s,;&'\"`()\[\]{}<>]+))",
        re.IGNORECASE,
    )


def _pem(header: str) -> re.Pattern[str]:
    """A PEM block whose header matches ``header``: up to its ``END`` line, or, cut short,
    over the base64 lines that follow (real newlines or a repr's ``\\n``)."""
    return re.compile(
        rf"-----BEGIN (?:{header})-----(?:.*?-----END [A-Z0-9 ]+-----"
        r"|(?:(?:\r?\n|\\r|\\n)*[A-Za-z0-9+/=]+)*(?:\.\.\.|…)?)",
        re.DOTALL,
    )


_PASSWORD_WORDS = r"password|passwd|passphrase|pwd"
_SECRET_WORDS = (
    r"secret|token|api[_-]?key|apikey|(?:secret|private|access|auth|signing|"
    r"encryption)[_-]?key"
)
_RUN = r"(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/=_-]{32,}(?![A-Za-z0-9+/=_-])"

#: What :func:`redact` looks for, in this order (the specific shapes before the generic).
SHAPES: tuple[Shape, ...] = (
    Shape("private key", _pem(r"[A-Z0-9 ]*PRIVATE KEY[A-Z0-9 ]*")),
    Shape("certificate", _pem(r"[A-Z0-9 ]*CERTIFICATE[A-Z0-9 ]*")),
    Shape("PEM block", _pem(r"[A-Z0-9 ]+")),
    Shape("JWT", re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*")),
    Shape("API key", re.compile(r"\bsk-[A-Za-z0-9_-]{16,}")),
    Shape("AWS access key id", re.compile(r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b")),
    Shape(
        "AWS secret key",
        re.compile(
            r"(?i:aws_secret_access_key)[\"']?[ \t]*[:=][ \t]*[\"']?"
            r"(?P<secret>[A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])"
        ),
    ),
    Shape("GitHub token", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_\w{22,})")),
    Shape("Slack token", re.compile(r"\bxox[bpars]-[A-Za-z0-9-]{10,}")),
    Shape("Google API key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}")),
    Shape(
        "bearer token",
        re.compile(
            r"(?i:\bbearer)\s+(?P<secret>(?=[A-Za-z0-9._~+/=-]*[0-9])[A-Za-z0-9._~+/=-]{16,})"
        ),
    ),
    Shape(
        "password", re.compile(r"\b[A-Za-z][A-Za-z0-9+.-]*://[^/\s:@'\"]+:(?P<secret>[^/\s@'\"]+)@")
    ),
    Shape("password", _assignment(_PASSWORD_WORDS), keep=_is_code_or_placeholder),
    Shape("secret", _assignment(_SECRET_WORDS), keep=_is_code_or_placeholder),
    Shape("high-entropy string", re.compile(_RUN), keep=lambda m: not looks_random(m.group())),
)

_GROUPS = ("secret", "quoted", "bare")


def _replacer(shape: Shape) -> Callable[[re.Match[str]], str]:
    text = marker(shape.name)

    def replace(m: re.Match[str]) -> str:
        if shape.keep is not None and shape.keep(m):
            return m.group()
        for name in _GROUPS:
            if name in m.re.groupindex and m.start(name) != -1:
                start, end = m.start(name) - m.start(), m.end(name) - m.start()
                whole = m.group()
                return whole[:start] + text + whole[end:]
        return text

    return replace


_REPLACERS = tuple((shape.pattern, _replacer(shape)) for shape in SHAPES)


def redact(text: str) -> str:
    """Return ``text`` with every secret it holds replaced by a marker.

    Parameters
    ----------
    text : str
        Anything about to leave the machine: a prompt, a result summary, a traceback.

    Returns
    -------
    str
        The text with each secret replaced by ``[redacted: <what>]`` (see the module
        docstring's table); unchanged when it holds none.

    Examples
    --------
    >>> redact("my key is sk-proj-4f9Qx2Lm8Tz0Wc7Vb1Nr5Ys3 and the mean is 4.5")
    'my key is [redacted: API key] and the mean is 4.5'
    >>> redact("connect with password=hunter2, then average data.csv")
    'connect with password=[redacted: password], then average data.csv'
    """
    for pattern, replace in _REPLACERS:
        text = pattern.sub(replace, text)
    return text
