"""Connecting to Dask: address checks, TLS, missing extra, and ``%ask workers``."""

from __future__ import annotations

import sys
import time
from typing import Any

import pytest
from IPython.core.error import UsageError
from joblib import Parallel, delayed, parallel_config

from aigc_magic.errors import RemoteUnavailableError
from aigc_magic.grid import remote
from aigc_magic.grid._magic import workers_command
from aigc_magic.grid.backend import last_run


@pytest.mark.parametrize(
    "address",
    [
        "tcp://10.1.2.3:8786",
        "10.1.2.3:8786",
        "tcp://scheduler.example.org:8786",
        "ws://10.0.0.1:80",
    ],
)
def test_plaintext_to_another_machine_is_refused(address: str) -> None:
    with pytest.raises(RemoteUnavailableError, match="--insecure"):
        remote.check_address(address)
    assert remote.check_address(address, insecure=True).endswith(":8786") or address.startswith(
        "ws"
    )


@pytest.mark.parametrize(
    "address", ["tcp://127.0.0.1:8786", "localhost:8786", "tcp://[::1]:8786", "tls://10.1.2.3:8786"]
)
def test_loopback_and_tls_addresses_pass(address: str) -> None:
    assert "://" in remote.check_address(address)


@pytest.mark.parametrize("address", ["tcp://10.1.2.3", "ftp://host:21", "tls://:8786"])
def test_malformed_addresses_are_explained(address: str) -> None:
    with pytest.raises(RemoteUnavailableError, match="tls://HOST:PORT"):
        remote.check_address(address)


def test_connect_refuses_plaintext_before_touching_the_network() -> None:
    start = time.monotonic()
    with pytest.raises(RemoteUnavailableError, match="Refusing plaintext"):
        remote.connect("tcp://192.0.2.1:8786")
    assert time.monotonic() - start < 1


def test_without_distributed_connect_gives_the_install_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import now raises ImportError
    with pytest.raises(RemoteUnavailableError, match=r"pip install 'aigc-magic\[remote\]'"):
        remote.connect("tls://127.0.0.1:8786")
    with pytest.raises(UsageError, match=r"aigc-magic\[remote\]"):
        workers_command("local 1")


def test_tls_address_without_certificates_is_explained() -> None:
    pytest.importorskip("distributed")
    with pytest.raises(RemoteUnavailableError, match="--tls-ca"):
        remote.connect("tls://127.0.0.1:1")


def test_workers_command_without_a_cluster() -> None:
    view = workers_command("")
    assert "No cluster connected" in str(view)
    assert "%ask workers connect" in view._repr_html_()


@pytest.mark.parametrize(
    ("line", "match"),
    [
        ("conect tls://127.0.0.1:1", "Did you mean `%ask workers connect`"),
        ("connect", "the following arguments are required: address"),
        ("connect tcp://10.9.8.7:8786", "Refusing plaintext"),
        ("local two", "invalid int value"),
    ],
)
def test_workers_command_usage_errors(line: str, match: str) -> None:
    with pytest.raises(UsageError, match=match):
        workers_command(line)


@pytest.mark.slow
def test_plaintext_client_against_tls_scheduler_gets_a_clear_message(tls_cluster: Any) -> None:
    port = tls_cluster.address.rsplit(":", 1)[1]
    start = time.monotonic()
    with pytest.raises(RemoteUnavailableError, match="speaks TLS") as info:
        remote.connect(f"tcp://127.0.0.1:{port}", timeout=5)
    assert time.monotonic() - start < 6
    assert f"tls://127.0.0.1:{port}" in str(info.value)


@pytest.mark.slow
def test_wrong_ca_is_explained(tls_cluster: Any, tmp_path: Any, write_certs: Any) -> None:
    other = write_certs(tmp_path)
    with pytest.raises(RemoteUnavailableError):
        remote.connect(
            tls_cluster.address,
            tls_ca=str(other.ca),
            tls_cert=str(other.client_cert),
            tls_key=str(other.client_key),
            timeout=3,
        )


@pytest.mark.slow
def test_workers_command_connect_table_disconnect(tls_cluster: Any) -> None:
    certs = tls_cluster.certs
    view = workers_command(
        f"workers connect {tls_cluster.address} --tls-ca {certs.ca} "
        f"--tls-cert {certs.client_cert} --tls-key {certs.client_key}"
    )
    try:
        remote.current_client().wait_for_workers(2, timeout=60)
        view = workers_command("")
        text = str(view)
        assert f"Connected to {tls_cluster.address}" in text
        assert len(view.rows) == 2
        assert all(row[0].startswith("tls://127.0.0.1:") and row[1] == "1" for row in view.rows)
        assert "tasks assigned" in text and "GiB" in text
        assert "round trip" in text and "whichever is predicted" in text
        html = view._repr_html_()
        assert html.count("<tr>") == 3 and "<th>cores</th>" in html
    finally:
        view = workers_command("disconnect")
    assert remote.current_client() is None
    assert "Disconnected" in str(view)


@pytest.mark.slow
def test_workers_local_cluster() -> None:
    pytest.importorskip("distributed")
    try:
        view = workers_command("local 1 --only")
        assert len(view.rows) == 1 and "every call runs there (--only)" in str(view)
        with parallel_config(backend="aigc"):
            assert Parallel(n_jobs=-1)(delayed(abs)(-i) for i in range(5)) == list(range(5))
        assert last_run().arm == "dask"  # however small: the user asked for the cluster
    finally:
        workers_command("disconnect")
    assert remote.current_client() is None
