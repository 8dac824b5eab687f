"""Fixtures for the grid tests: certificates, real Dask clusters, arm configs.

``tls_cluster`` is one ``dask scheduler`` and one ``dask worker --nworkers 2 --nthreads 1``
(nannies, so a killed worker process comes back) on 127.0.0.1, mutual TLS only. The
scheduler allows one failure per task before ``KilledWorker`` (``allowed-failures=1``), so
the retry tests stay short.

``slow_cluster`` is a plaintext scheduler and three workers on 127.0.0.1 that the client
reaches only through a :class:`~aigc_magic.testing.LatencyProxy` (20 ms each way): the
workers talk to the scheduler directly, the notebook is "across a network" from them. A
client gathers and scatters through the scheduler unless told ``direct_to_workers``, so the
proxy in front of the scheduler is on every path the client uses.

Each cluster is started once per session, and only if a test asks for it.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from joblib import parallel_config

import aigc_magic  # noqa: F401  (registers backend "aigc")
from aigc_magic.grid import remote
from aigc_magic.testing import LatencyProxy

ARMS = [
    "sequential",
    "threads",
    pytest.param("loky", marks=pytest.mark.slow),
    pytest.param("dask", marks=pytest.mark.slow),
]
DASK_BIN = Path(sys.executable).with_name("dask")
SLOW_DELAY = 0.02  #: seconds each way between the client and ``slow_cluster``'s scheduler
SLOW_WORKERS = 3


@dataclass(frozen=True)
class Certs:
    ca: Path
    node_cert: Path
    node_key: Path
    client_cert: Path
    client_key: Path


def _write_certs(folder: Path) -> Certs:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = datetime.datetime.now(datetime.timezone.utc)
    life = (now - datetime.timedelta(minutes=5), now + datetime.timedelta(days=1))

    def save(name: str, key: Any, cert: Any) -> tuple[Path, Path]:
        pem, keyfile = folder / f"{name}.pem", folder / f"{name}.key"
        pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        keyfile.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        return pem, keyfile

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "aigc-magic test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(life[0])
        .not_valid_after(life[1])
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    ca_pem, _ = save("ca", ca_key, ca)
    paths = []
    for name in ("node", "client"):
        key = ec.generate_private_key(ec.SECP256R1())
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
            .issuer_name(ca_name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(life[0])
            .not_valid_after(life[1])
            .add_extension(
                x509.SubjectAlternativeName(
                    [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
                ),
                critical=False,
            )
            .add_extension(
                x509.ExtendedKeyUsage(
                    [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
                ),
                critical=False,
            )
            .sign(ca_key, hashes.SHA256())
        )
        paths.extend(save(name, key, cert))
    return Certs(ca_pem, *paths)


@pytest.fixture(scope="session")
def write_certs() -> Any:
    """The function that writes a fresh CA and node/client certificates into a folder."""
    return _write_certs


@pytest.fixture(scope="session")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Certs:
    return _write_certs(tmp_path_factory.mktemp("certs"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Cluster:
    address: str
    certs: Certs
    logs: Path

    def connect(self, only: bool = True) -> Any:
        """Connect the grid; ``only`` (the default here) sends every call to the cluster,
        which is what the tests of the Dask arm exercise."""
        return remote.connect(
            self.address,
            tls_ca=str(self.certs.ca),
            tls_cert=str(self.certs.client_cert),
            tls_key=str(self.certs.client_key),
            only=only,
        )


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)  # its own session: the nannies and workers too
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def _spawn(args: list[str], log: Path, env: dict[str, str], cwd: Path) -> subprocess.Popen[bytes]:
    """Start a ``dask`` command in its own session (so :func:`_stop` ends its children)."""
    with open(log, "wb") as out:
        return subprocess.Popen(
            [str(DASK_BIN), *args],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
            cwd=cwd,
        )


def _worker_args(address: str, n: int, logs: Path) -> list[str]:
    return [
        "worker",
        address,
        "--nworkers",
        str(n),
        "--nthreads",
        "1",
        "--no-dashboard",
        "--memory-limit",
        "1GiB",
        "--local-directory",
        str(logs),
    ]


def _first_client(connect: Any, scheduler: subprocess.Popen[bytes], n_workers: int) -> Any:
    """Connect once the scheduler answers and ``n_workers`` workers have joined."""
    deadline = time.monotonic() + 60
    while True:
        try:
            client = connect()
            break
        except Exception:
            if time.monotonic() > deadline or scheduler.poll() is not None:
                raise
            time.sleep(0.5)
    client.wait_for_workers(n_workers, timeout=60)
    return client


@pytest.fixture(scope="session")
def tls_cluster(certs: Certs, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """A real scheduler and two real workers on 127.0.0.1, mutual TLS only."""
    pytest.importorskip("distributed")
    logs = tmp_path_factory.mktemp("dask")
    port = _free_port()
    address = f"tls://127.0.0.1:{port}"
    tls = [
        "--tls-ca-file",
        str(certs.ca),
        "--tls-cert",
        str(certs.node_cert),
        "--tls-key",
        str(certs.node_key),
    ]
    env = {**os.environ, "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "1"}
    procs: list[subprocess.Popen[bytes]] = []
    try:
        procs.append(
            _spawn(
                [
                    "scheduler",
                    "--protocol",
                    "tls",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--no-dashboard",
                    *tls,
                ],
                logs / "scheduler.log",
                env,
                logs,
            )
        )
        procs.append(
            _spawn([*_worker_args(address, 2, logs), *tls], logs / "workers.log", env, logs)
        )
        cluster = Cluster(address, certs, logs)
        _first_client(cluster.connect, procs[0], 2)
        remote.disconnect()
        yield cluster
    finally:
        remote.disconnect()
        for proc in reversed(procs):
            _stop(proc)


@dataclass(frozen=True)
class SlowCluster:
    """A plaintext cluster on 127.0.0.1 that the client reaches through a latency proxy.

    Attributes
    ----------
    address : str
        The proxy's ``tcp://127.0.0.1:PORT``: what the client connects to.
    direct : str
        The scheduler's own address (the workers use it).
    proxy : LatencyProxy
        The proxy, ``SLOW_DELAY`` seconds each way; its byte counters show the traffic.
    n_workers : int
        Worker processes, one thread each.
    logs : Path
        Where the scheduler's and workers' logs are.
    """

    address: str
    direct: str
    proxy: LatencyProxy
    n_workers: int
    logs: Path

    def connect(self) -> Any:
        """Connect the grid to the cluster through the proxy; return the client."""
        return remote.connect(self.address)


@pytest.fixture(scope="session")
def slow_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SlowCluster]:
    """A real scheduler and three real workers, 20 ms each way from the client."""
    pytest.importorskip("distributed")
    logs = tmp_path_factory.mktemp("slow-dask")
    port = _free_port()
    direct = f"tcp://127.0.0.1:{port}"
    env = dict(os.environ)
    procs: list[subprocess.Popen[bytes]] = []
    proxy = LatencyProxy("127.0.0.1", port, delay=SLOW_DELAY)
    try:
        procs.append(
            _spawn(
                ["scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                logs / "scheduler.log",
                env,
                logs,
            )
        )
        procs.append(
            _spawn(_worker_args(direct, SLOW_WORKERS, logs), logs / "workers.log", env, logs)
        )
        proxy.start()
        cluster = SlowCluster(proxy.address(), direct, proxy, SLOW_WORKERS, logs)
        _first_client(cluster.connect, procs[0], SLOW_WORKERS)
        remote.disconnect()
        yield cluster
    finally:
        remote.disconnect()
        proxy.close()
        for proc in reversed(procs):
            _stop(proc)


@pytest.fixture
def dask_client(tls_cluster: Cluster, request: pytest.FixtureRequest) -> Iterator[Any]:
    """The grid connected to the TLS cluster, with both workers up.

    The workers cannot import the test modules, so the requesting module's functions travel
    by value, as a notebook's do.
    """
    import cloudpickle

    cloudpickle.register_pickle_by_value(request.module)
    client = tls_cluster.connect()
    client.wait_for_workers(2, timeout=60)
    try:
        yield client
    finally:
        remote.disconnect()
        cloudpickle.unregister_pickle_by_value(request.module)


@pytest.fixture(params=ARMS)
def arm(request: pytest.FixtureRequest) -> Iterator[str]:
    """Each arm in turn, forced through ``parallel_config(backend="aigc", arm=...)``."""
    if request.param == "dask":
        request.getfixturevalue("dask_client")
    with parallel_config(backend="aigc", arm=request.param):
        yield request.param
