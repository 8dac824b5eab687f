"""How well ``aigc_magic.llm.redact`` tells random-looking keys from identifiers and paths.

It draws seeded random secrets (32-character base64 and URL-safe base64, 32-digit hex), and
collects what must never be redacted from the running Python itself: every identifier of 32
or more characters in the standard library and site-packages (through :mod:`tokenize`), and
every run of 32+ base64-alphabet characters in their file paths (a path is cut into runs at
``.``, as redact cuts any text). For each set it prints the share that ``looks_random``
redacts, the entropy and mean-piece percentiles, and the non-secrets it would redact. The
thresholds in ``redact.py`` (``BASE64_MIN_ENTROPY``, ``HEX_MIN_ENTROPY``,
``MAX_MEAN_PIECE``) cite one run of this script.

Run: ``python benchmarks/bench_redact_entropy.py`` (about three minutes on 2 busy cores).
"""

from __future__ import annotations

import base64
import io
import os
import random
import re
import sysconfig
import tokenize

from aigc_magic.llm.redact import _RUN, entropy, looks_random, mean_piece

N = 20_000
_RUN_RE = re.compile(_RUN)


def _secrets(rng: random.Random) -> dict[str, list[str]]:
    def raw(n: int) -> bytes:
        return rng.randbytes(n)

    return {
        "base64 (32)": [base64.b64encode(raw(24)).decode() for _ in range(N)],
        "urlsafe (32)": [base64.urlsafe_b64encode(raw(24)).decode() for _ in range(N)],
        "hex (32)": [raw(16).hex() for _ in range(N)],
    }


def _python_corpus() -> dict[str, list[str]]:
    identifiers: set[str] = set()
    paths: set[str] = set()
    for base in dict.fromkeys([sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["purelib"]]):
        for folder, _, files in os.walk(base):
            for name in files:
                path = os.path.join(folder, name)
                paths.update(_RUN_RE.findall(path))
                if not name.endswith(".py"):
                    continue
                try:
                    with open(path, encoding="utf-8") as fh:
                        tokens = list(tokenize.generate_tokens(io.StringIO(fh.read()).readline))
                except (OSError, UnicodeDecodeError, SyntaxError, tokenize.TokenError):
                    continue
                identifiers.update(
                    t.string for t in tokens if t.type == tokenize.NAME and len(t.string) >= 32
                )
    return {"identifiers (32+)": sorted(identifiers), "path runs (32+)": sorted(paths)}


def _percentiles(values: list[float]) -> str:
    ordered = sorted(values)

    def at(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]

    return " ".join(f"p{p}={at(p):.2f}" for p in (1, 50, 99))


def main() -> None:
    sets = {**_secrets(random.Random(0)), **_python_corpus()}
    for name, items in sets.items():
        hits = [s for s in items if looks_random(s)]
        print(
            f"{name:18s} n={len(items):6d} redacted={len(hits) / len(items):8.4%}  "
            f"entropy {_percentiles([entropy(s) for s in items])}  "
            f"pieces {_percentiles([mean_piece(s) for s in items])}"
        )
        if not name.startswith(("base64", "urlsafe", "hex")):
            for s in hits[:20]:
                print(f"    redacted: {s}")


if __name__ == "__main__":
    main()
