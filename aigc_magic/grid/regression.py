"""The bandit's regression: what the cost model gets wrong on one machine, learned.

A Bayesian linear regression of the log-time residuals (observed over predicted) on a few
arm features (:attr:`.costmodel.FEATURES`), in Kalman form (no matrix inversion), with
posterior sampling for Thompson sampling. Pure Python, no I/O.
"""

from __future__ import annotations

import math
import random
from typing import Any

from .costmodel import FEATURES

__all__ = ["NOISE_SD", "OFFSET_SD", "PRIOR_SD", "Regression", "dot"]

#: Prior standard deviations (log time) of the regression weights and of the per-arm
#: offsets, and the noise of one timing (a shared 2-core machine).
PRIOR_SD, OFFSET_SD, NOISE_SD = 0.2, 0.2, 0.2


class Regression:
    """Bayesian linear regression of log-time residuals (Kalman form, no inversion)."""

    def __init__(
        self, mu: list[float] | None = None, cov: list[list[float]] | None = None, n: int = 0
    ) -> None:
        d = len(FEATURES)
        self.mu = list(mu) if mu is not None else [0.0] * d
        self.cov = (
            [list(r) for r in cov]
            if cov is not None
            else [[PRIOR_SD**2 if i == j else 0.0 for j in range(d)] for i in range(d)]
        )
        self.n = n

    def mean(self, phi: list[float]) -> float:
        """The posterior-mean residual for features ``phi``."""
        return dot(phi, self.mu)

    def var(self, phi: list[float]) -> float:
        """The posterior variance of the residual for features ``phi``."""
        return sum(
            phi[i] * sum(self.cov[i][j] * phi[j] for j in range(len(phi))) for i in range(len(phi))
        )

    def observe(self, phi: list[float], r: float) -> None:
        """Learn the residual ``r`` seen with features ``phi``."""
        d = len(phi)
        s_phi = [sum(self.cov[i][j] * phi[j] for j in range(d)) for i in range(d)]
        denom = NOISE_SD**2 + OFFSET_SD**2 + dot(phi, s_phi)
        err = r - self.mean(phi)
        self.mu = [m + s * err / denom for m, s in zip(self.mu, s_phi, strict=True)]
        self.cov = [
            [self.cov[i][j] - s_phi[i] * s_phi[j] / denom for j in range(d)] for i in range(d)
        ]
        self.n += 1

    def sample(self, rng: random.Random) -> list[float]:
        """Weights drawn from the posterior."""
        d = len(self.mu)
        low = [[0.0] * d for _ in range(d)]  # Cholesky factor of cov
        for i in range(d):
            for j in range(i + 1):
                s = self.cov[i][j] - sum(low[i][k] * low[j][k] for k in range(j))
                low[i][j] = math.sqrt(max(s, 1e-12)) if i == j else s / low[j][j]
        z = [rng.gauss(0.0, 1.0) for _ in range(d)]
        return [m + sum(low[i][k] * z[k] for k in range(i + 1)) for i, m in enumerate(self.mu)]

    def to_json(self) -> dict[str, Any]:
        """The posterior as JSON-ready data."""
        return {"mu": self.mu, "cov": self.cov, "n": self.n}


def dot(a: list[float], b: list[float]) -> float:
    """The dot product of two vectors."""
    return sum(x * y for x, y in zip(a, b, strict=True))
