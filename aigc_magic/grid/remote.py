"""Remote workers on Dask distributed: connect, disconnect, a local cluster, the worker list.

Dask distributed is the optional extra ``aigc-magic[remote]``; without it every function
here raises :class:`~aigc_magic.errors.RemoteUnavailableError` with the install line.
Nothing here is imported at ``import aigc_magic``, and ``distributed`` itself is imported
only when a function here is called.

Pickled code travels to the workers, so a plaintext ``tcp://`` address is refused unless
it is on this machine (loopback) or ``insecure=True`` says the network is trusted; use
``tls://`` with certificates (mutual TLS) for anything else::

    connect("tls://10.0.0.5:8786", tls_ca="ca.pem", tls_cert="me.pem", tls_key="me.key")
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import ssl
import threading
from dataclasses import dataclass
from typing import Any

from ..errors import RemoteUnavailableError

__all__ = [
    "INSTALL_HINT",
    "PLAINTEXT_SCHEMES",
    "TLS_SCHEMES",
    "WorkerInfo",
    "check_address",
    "connect",
    "current_client",
    "disconnect",
    "is_only",
    "local",
    "speaks_tls",
    "workers",
]

INSTALL_HINT = "pip install 'aigc-magic[remote]'"
PLAINTEXT_SCHEMES = frozenset({"tcp", "ws", "ucx"})
TLS_SCHEMES = frozenset({"tls", "wss"})

_lock = threading.Lock()
_client: Any = None
_cluster: Any = None  # a LocalCluster we started, closed with the client
_owned = False  # whether we opened _client (and so may close it)
_only = False  # every call runs on the cluster (connect(..., only=True))


@dataclass(frozen=True)
class WorkerInfo:
    """One Dask worker as ``%ask workers`` shows it."""

    address: str
    name: str
    cores: int
    memory_limit: int  # bytes, 0 when unlimited
    memory_used: int  # bytes
    cpu_percent: float
    executing: int  # tasks running now


def _distributed() -> Any:
    try:
        import distributed
    except ImportError as exc:
        raise RemoteUnavailableError(
            "Remote workers need Dask distributed, which is not installed here. "
            f"Install it with: {INSTALL_HINT}"
        ) from exc
    return distributed


def _split(address: str) -> tuple[str, str, int | None]:
    scheme, _, rest = address.partition("://")
    if rest.startswith("["):  # [::1]:8786
        host, _, port = rest[1:].partition("]")
        port = port.lstrip(":")
    else:
        host, _, port = rest.rpartition(":") if rest.count(":") == 1 else (rest, "", "")
    try:
        return scheme.lower(), host, int(port) if port else None
    except ValueError:
        raise RemoteUnavailableError(
            f"{address!r} is not a scheduler address: write it as tls://HOST:PORT, "
            "for example tls://10.0.0.5:8786"
        ) from None


def _is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_address(address: str, *, insecure: bool = False) -> str:
    """Return ``address`` with a scheme, refusing plaintext to another machine.

    Parameters
    ----------
    address : str
        ``tls://host:port``, ``tcp://host:port`` or ``host:port`` (which means ``tcp://``).
    insecure : bool
        Allow a plaintext ``tcp://`` address on another machine.

    Raises
    ------
    RemoteUnavailableError
        The address is malformed, or plaintext to a non-loopback host without ``insecure``.
    """
    address = address.strip()
    if "://" not in address:
        address = f"tcp://{address}"
    scheme, host, port = _split(address)
    if scheme not in PLAINTEXT_SCHEMES | TLS_SCHEMES | {"inproc"}:
        raise RemoteUnavailableError(
            f"Unknown scheme {scheme!r} in {address!r}: use tls://HOST:PORT."
        )
    if scheme != "inproc" and (not host or port is None):
        raise RemoteUnavailableError(
            f"{address!r} lacks a host or a port: write it as tls://HOST:PORT."
        )
    if scheme in PLAINTEXT_SCHEMES and not insecure and not _is_loopback(host):
        raise RemoteUnavailableError(
            f"Refusing plaintext {address}: code and data would cross the network "
            "unencrypted and unauthenticated. Use TLS, e.g. "
            f"%ask workers connect tls://{host}:{port} --tls-ca CA.pem --tls-cert CERT.pem "
            "--tls-key KEY.pem, or add --insecure (insecure=True) if this network is "
            "trusted."
        )
    return address


def speaks_tls(host: str, port: int, timeout: float = 2.0) -> bool:
    """Whether the server at ``host:port`` answers a TLS ClientHello with a TLS record."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = ctx.wrap_bio(incoming, outgoing)
    with contextlib.suppress(ssl.SSLWantReadError):  # it waits for the server, as expected
        tls.do_handshake()
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.sendall(outgoing.read())
            head = sock.recv(5)
    except OSError:
        return False
    # A TLS record starts with its content type (22 handshake, 21 alert) and version 3.x.
    return len(head) >= 2 and head[0] in (21, 22) and head[1] == 3


def _explain(address: str, exc: BaseException) -> str:
    scheme, host, port = _split(address)
    if scheme in PLAINTEXT_SCHEMES and port is not None and speaks_tls(host, port):
        return (
            f"The scheduler at {address} speaks TLS and this client spoke plaintext. "
            f"Connect with TLS: %ask workers connect tls://{host}:{port} --tls-ca CA.pem "
            "--tls-cert CERT.pem --tls-key KEY.pem"
        )
    chain: list[BaseException] = []
    cause: BaseException | None = exc
    while cause is not None and len(chain) < 5:
        chain.append(cause)
        cause = cause.__cause__ or cause.__context__
    if any(isinstance(c, ssl.SSLError) for c in chain) or "certificate" in str(exc).lower():
        return (
            f"The TLS handshake with {address} failed ({exc}). Check that --tls-ca is "
            "the CA that signed the scheduler's certificate and that --tls-cert/--tls-key "
            "are a certificate and key that CA signed."
        )
    return (
        f"Could not connect to the Dask scheduler at {address} ({type(exc).__name__}: "
        f"{exc}). Check that `dask scheduler` runs there and that the port is reachable."
    )


def _security(
    distributed: Any,
    scheme: str,
    security: Any,
    tls_ca: str | None,
    tls_cert: str | None,
    tls_key: str | None,
) -> Any:
    if any((tls_ca, tls_cert, tls_key)):
        if security is not None:
            raise RemoteUnavailableError("Pass either security= or the tls_* files, not both.")
        missing = [
            n
            for n, v in (("--tls-ca", tls_ca), ("--tls-cert", tls_cert), ("--tls-key", tls_key))
            if not v
        ]
        if missing:
            raise RemoteUnavailableError(
                f"Mutual TLS needs all three files; missing {', '.join(missing)}."
            )
        return distributed.Security(
            tls_ca_file=tls_ca,
            tls_client_cert=tls_cert,
            tls_client_key=tls_key,
            require_encryption=True,
        )
    if scheme in TLS_SCHEMES and security is None:
        security = distributed.Security()  # whatever dask's configuration provides
        if not security.tls_ca_file:
            raise RemoteUnavailableError(
                "A tls:// address needs certificates: pass --tls-ca CA.pem --tls-cert "
                "CERT.pem --tls-key KEY.pem (or security=distributed.Security(...))."
            )
    return security


def connect(
    address: Any,
    *,
    security: Any = None,
    tls_ca: str | None = None,
    tls_cert: str | None = None,
    tls_key: str | None = None,
    insecure: bool = False,
    timeout: float = 10.0,
    only: bool = False,
) -> Any:
    """Connect the grid to a Dask scheduler; later ``Parallel`` calls may run there.

    Each call then runs where it is predicted, and later measured, to finish first: on
    this machine's cores or on the cluster's (``only=True``: always on the cluster). The
    cluster's workers, their load and the round trip are measured now, so that the first
    call need not wait for them.

    Parameters
    ----------
    address : str or distributed.Client
        ``tls://host:port`` (or ``tcp://`` on loopback), or a ``Client`` you opened (it is
        used as is and :func:`disconnect` leaves it open).
    security : distributed.Security, optional
        TLS settings; or give ``tls_ca``, ``tls_cert`` and ``tls_key`` file paths.
    insecure : bool
        Allow plaintext ``tcp://`` to another machine.
    timeout : float
        Seconds to wait for the scheduler.
    only : bool
        Send every call to the cluster, however small (``%ask workers connect ... --only``).

    Returns
    -------
    distributed.Client
    """
    distributed = _distributed()
    if isinstance(address, distributed.Client):
        _install(address, owned=False, only=only)
        return address
    address = check_address(str(address), insecure=insecure)
    scheme = address.partition("://")[0].lower()
    security = _security(distributed, scheme, security, tls_ca, tls_cert, tls_key)
    try:
        client = distributed.Client(
            address, security=security, timeout=timeout, set_as_default=False
        )
    except (OSError, TimeoutError, ssl.SSLError) as exc:
        raise RemoteUnavailableError(_explain(address, exc)) from exc
    except Exception as exc:
        if type(exc).__name__ in ("CommClosedError", "FatalCommClosedError"):
            raise RemoteUnavailableError(_explain(address, exc)) from exc
        raise
    _install(client, owned=True, only=only)
    return client


def local(
    n_workers: int | None = None,
    *,
    threads_per_worker: int = 1,
    only: bool = False,
    **cluster_kwargs: Any,
) -> Any:
    """Start a Dask ``LocalCluster`` on this machine and connect the grid to it (``only``
    as for :func:`connect`)."""
    distributed = _distributed()
    import logging

    kwargs: dict[str, Any] = {
        "n_workers": n_workers,
        "threads_per_worker": threads_per_worker,
        "processes": True,
        "dashboard_address": ":0",
        "silence_logs": logging.ERROR,
        **cluster_kwargs,
    }
    cluster = distributed.LocalCluster(**kwargs)
    try:
        client = distributed.Client(cluster, set_as_default=False)
    except BaseException:
        cluster.close()
        raise
    _install(client, owned=True, cluster=cluster, only=only)
    return client


def _install(client: Any, *, owned: bool, cluster: Any = None, only: bool = False) -> None:
    global _client, _cluster, _owned, _only
    disconnect()
    with _lock:
        _client, _cluster, _owned, _only = client, cluster, owned, only
    from .nodes import cluster_state

    cluster_state(client, fresh=True)  # workers, load, round trip: measured now


def disconnect() -> None:
    """Forget the connected cluster; close the client and local cluster we opened."""
    global _client, _cluster, _owned, _only
    with _lock:
        client, cluster, owned = _client, _cluster, _owned
        _client, _cluster, _owned, _only = None, None, False, False
    if client is not None:
        from .nodes import forget

        forget(client)
    if client is not None and owned:
        client.close()
    if cluster is not None:
        cluster.close()


def current_client() -> Any:
    """The connected ``distributed.Client``, or None."""
    client = _client
    if client is None or getattr(client, "status", "running") in ("closed", "closing"):
        return None
    return client


def is_only(client: Any) -> bool:
    """Whether ``client`` is the connected one and was connected with ``only=True``."""
    return _only and client is _client


def workers() -> list[WorkerInfo]:
    """The workers of the connected cluster (empty when none is connected)."""
    client = current_client()
    if client is None:
        return []
    info = client.scheduler_info(n_workers=-1).get("workers", {})
    rows = []
    for address, w in sorted(info.items()):
        metrics = w.get("metrics", {}) or {}
        counts = metrics.get("task_counts", {}) or {}
        rows.append(
            WorkerInfo(
                address=address,
                name=str(w.get("name", address)),
                cores=int(w.get("nthreads", 0)),
                memory_limit=int(w.get("memory_limit") or 0),
                memory_used=int(metrics.get("memory") or 0),
                cpu_percent=float(metrics.get("cpu") or 0.0),
                executing=int(counts.get("executing", metrics.get("executing", 0)) or 0),
            )
        )
    return rows
