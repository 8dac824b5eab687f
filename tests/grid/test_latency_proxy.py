"""LatencyProxy against a real echo server: the delay, the bytes, many connections, close."""

from __future__ import annotations

import contextlib
import os
import socket
import socketserver
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from aigc_magic.testing import LatencyProxy

DELAY = 0.03
SLACK = 0.25  # a shared 2-core machine can stall a thread this long; the floor is exact


class _Echo(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        while data := self.request.recv(65536):
            self.request.sendall(data)


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # 5 by default: a burst of connections would wait for SYN retries


@pytest.fixture(scope="module")
def echo() -> Iterator[tuple[str, int]]:
    server = _Server(("127.0.0.1", 0), _Echo)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield str(host), int(port)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _recv_exactly(sock: socket.socket, n: int) -> bytes:
    parts, got = [], 0
    while got < n:
        part = sock.recv(min(1 << 20, n - got))
        if not part:
            break
        parts.append(part)
        got += len(part)
    return b"".join(parts)


def _round_trip(port: int, payload: bytes = b"ping") -> float:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        start = time.perf_counter()
        sock.sendall(payload)
        assert _recv_exactly(sock, len(payload)) == payload
        return time.perf_counter() - start


def test_round_trip_costs_twice_the_delay(echo: tuple[str, int]) -> None:
    with LatencyProxy(*echo, delay=DELAY) as proxy:
        assert proxy.address() == f"tcp://127.0.0.1:{proxy.port}"
        took = [_round_trip(proxy.port) for _ in range(5)]
    assert min(took) >= 2 * DELAY
    assert min(took) < 2 * DELAY + SLACK
    direct = min(_round_trip(echo[1]) for _ in range(3))
    assert direct < DELAY  # the delay is the proxy's, not the echo server's


def test_megabytes_arrive_intact_and_in_order(echo: tuple[str, int]) -> None:
    payload = os.urandom(4 << 20)
    with LatencyProxy(*echo, delay=0.005) as proxy:
        with socket.create_connection(("127.0.0.1", proxy.port), timeout=30) as sock:
            sender = threading.Thread(target=sock.sendall, args=(payload,))
            sender.start()  # send and receive together: the echo answers as it reads
            echoed = _recv_exactly(sock, len(payload))
            sender.join()
        assert echoed == payload
        assert proxy.bytes_up == proxy.bytes_down == len(payload)
        assert proxy.connections == 1


def test_bandwidth_caps_a_transfer(echo: tuple[str, int]) -> None:
    payload = os.urandom(400_000)
    with LatencyProxy(*echo, delay=0.0, bandwidth=2_000_000) as proxy:
        took = _round_trip(proxy.port, payload)
    # the echo answers as it reads, so the two directions overlap: at least one way's 0.2 s
    assert took >= len(payload) / 2_000_000


def test_many_concurrent_connections(echo: tuple[str, int]) -> None:
    n = 32
    with LatencyProxy(*echo, delay=DELAY) as proxy, ThreadPoolExecutor(n) as pool:
        start = time.perf_counter()
        took = list(pool.map(lambda i: _round_trip(proxy.port, b"%05d" % i * 100), range(n)))
        elapsed = time.perf_counter() - start
        assert proxy.connections == n
    assert min(took) >= 2 * DELAY
    assert elapsed < n * 2 * DELAY  # they overlap: the delay is not serialised


def test_close_ends_its_connections(echo: tuple[str, int]) -> None:
    proxy = LatencyProxy(*echo, delay=0.01).start()
    port = proxy.port
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    try:
        sock.sendall(b"x")
        assert sock.recv(1) == b"x"
        proxy.close()
        with contextlib.suppress(ConnectionResetError):  # reset or closed, it ended
            assert sock.recv(1) == b""
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=2).close()  # nor listens
    finally:
        sock.close()
    with pytest.raises(RuntimeError, match="not running"):
        _ = proxy.port
    proxy.close()  # a second close is harmless


def test_refused_target_closes_the_client(echo: tuple[str, int]) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = int(s.getsockname()[1])  # nothing listens once this closes
    with (
        LatencyProxy("127.0.0.1", dead, delay=0.0) as proxy,
        socket.create_connection(("127.0.0.1", proxy.port), timeout=5) as sock,
        contextlib.suppress(ConnectionResetError),
    ):
        assert sock.recv(1) == b""


def test_arguments_are_checked() -> None:
    with pytest.raises(ValueError, match="delay"):
        LatencyProxy("127.0.0.1", 1, delay=-1)
    with pytest.raises(ValueError, match="bandwidth"):
        LatencyProxy("127.0.0.1", 1, bandwidth=0)
