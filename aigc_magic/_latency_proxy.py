"""A TCP proxy on 127.0.0.1 that delays every chunk: a network link for tests and benchmarks.

:class:`LatencyProxy` listens on a free port of 127.0.0.1 and forwards every connection it
accepts to one target (a Dask scheduler, say). Each chunk of bytes read from one side is
written to the other ``delay`` seconds later, in order, so a request and its answer cost
at least ``2 * delay``: a notebook "across a network" from a cluster that runs on this
machine. With ``bandwidth`` (bytes per second) each direction is also one serial link that
all connections share: a chunk of ``n`` bytes occupies it for ``n / bandwidth`` seconds
before its ``delay`` starts, so a large transfer takes its size over the bandwidth.

The proxy runs an asyncio loop on a thread of its own; :meth:`LatencyProxy.close` ends
every connection through it. It counts the bytes it forwarded each way.

Examples
--------
>>> import socket, socketserver, threading, time
>>> from aigc_magic.testing import LatencyProxy
>>> class Echo(socketserver.BaseRequestHandler):
...     def handle(self):
...         while data := self.request.recv(65536):
...             self.request.sendall(data)
>>> server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Echo)
>>> _ = threading.Thread(target=server.serve_forever, daemon=True).start()
>>> with LatencyProxy(*server.server_address, delay=0.05) as proxy:
...     with socket.create_connection(("127.0.0.1", proxy.port)) as sock:
...         start = time.perf_counter()
...         sock.sendall(b"ping")
...         answer = sock.recv(4)
...         took = time.perf_counter() - start
>>> answer, took >= 0.1, proxy.bytes_up, proxy.bytes_down
(b'ping', True, 4, 4)
>>> server.shutdown(); server.server_close()

Run on its own (the benchmark does, so that forwarding costs the measured process no
GIL time): ``python -m aigc_magic._latency_proxy HOST:PORT --delay 0.02``. It prints its
address on the first line of stdout, a JSON line of its counters for each ``stats`` line
read from stdin, and stops when stdin closes.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
import threading
from types import TracebackType

__all__ = ["LatencyProxy"]

CHUNK = 256 * 1024  #: the most bytes one read takes from a socket
IN_FLIGHT = 1024  #: chunks queued per direction of a connection before reading pauses


class _Link:
    """One direction's serial link, shared by the connections (only with a bandwidth)."""

    def __init__(self) -> None:
        self.free_at = 0.0


class LatencyProxy:
    """Forward connections on ``127.0.0.1:port`` to ``target``, ``delay`` seconds each way.

    Parameters
    ----------
    target_host, target_port : str, int
        Where every accepted connection is forwarded.
    delay : float
        Seconds each chunk waits before it is written on, in each direction (one round trip
        costs ``2 * delay``). May be changed while the proxy runs; it applies to chunks read
        afterwards.
    host : str
        The interface to listen on; the port is a free one (read it from :attr:`port`).
    bandwidth : float, optional
        Bytes per second of each direction's link (shared by all connections); None for
        unlimited.

    Attributes
    ----------
    bytes_up, bytes_down : int
        Bytes forwarded towards the target and back to the clients.
    connections : int
        Connections accepted since the start.
    """

    def __init__(
        self,
        target_host: str,
        target_port: int,
        delay: float = 0.02,
        *,
        host: str = "127.0.0.1",
        bandwidth: float | None = None,
    ) -> None:
        if delay < 0:
            raise ValueError(f"delay must be >= 0 seconds, got {delay}")
        if bandwidth is not None and bandwidth <= 0:
            raise ValueError(f"bandwidth must be > 0 bytes/s or None, got {bandwidth}")
        self.target = (target_host, int(target_port))
        self.delay = float(delay)
        self.host = host
        self.bandwidth = bandwidth
        self.bytes_up = 0
        self.bytes_down = 0
        self.connections = 0
        self._port: int | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: asyncio.AbstractServer | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._writers: set[asyncio.StreamWriter] = set()
        self._links = (_Link(), _Link())

    def __repr__(self) -> str:
        where = f"127.0.0.1:{self._port}" if self._port is not None else "stopped"
        return (
            f"<LatencyProxy {where} -> {self.target[0]}:{self.target[1]} "
            f"delay={self.delay:g}s up={self.bytes_up} down={self.bytes_down}>"
        )

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> LatencyProxy:
        """Listen and start forwarding on a background thread; return self."""
        if self._thread is not None:
            raise RuntimeError("LatencyProxy is already running")
        loop = asyncio.new_event_loop()
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            asyncio.set_event_loop(loop)
            try:
                self._server = loop.run_until_complete(
                    asyncio.start_server(self._accept, self.host, 0, limit=CHUNK)
                )
                self._port = int(self._server.sockets[0].getsockname()[1])
            except BaseException as exc:
                failure.append(exc)
                ready.set()
                loop.close()
                return
            ready.set()
            try:
                loop.run_forever()
            finally:
                loop.close()

        self._loop = loop
        self._thread = threading.Thread(target=run, name="LatencyProxy", daemon=True)
        self._thread.start()
        ready.wait()
        if failure:
            self._thread.join()
            self._thread = self._loop = None
            raise failure[0]
        return self

    def close(self) -> None:
        """Stop listening and close every connection through the proxy (both ends)."""
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        try:
            if not loop.is_closed():
                asyncio.run_coroutine_threadsafe(self._shutdown(), loop).result(timeout=10)
        finally:
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        self._loop = self._thread = self._server = None
        self._port = None

    async def _shutdown(self) -> None:
        if self._server is not None:
            self._server.close()
        for writer in list(self._writers):
            writer.transport.abort()
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def __enter__(self) -> LatencyProxy:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def port(self) -> int:
        """The port the proxy listens on."""
        if self._port is None:
            raise RuntimeError(
                "LatencyProxy is not running; use it as a context manager or call .start()"
            )
        return self._port

    def address(self, scheme: str = "tcp") -> str:
        """``"tcp://127.0.0.1:PORT"``: what a client connects to instead of the target."""
        return f"{scheme}://{self.host}:{self.port}"

    # -- forwarding ------------------------------------------------------------------------

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        me = asyncio.current_task()
        if me is not None:
            self._tasks.add(me)
            me.add_done_callback(self._tasks.discard)
        self._writers.add(writer)
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target, limit=CHUNK)
        except OSError:
            self._writers.discard(writer)
            writer.transport.abort()
            return
        self._writers.add(up_writer)
        pipes = [
            asyncio.ensure_future(self._pipe(reader, up_writer, up=True)),
            asyncio.ensure_future(self._pipe(up_reader, writer, up=False)),
        ]
        for pipe in pipes:
            self._tasks.add(pipe)
            pipe.add_done_callback(self._tasks.discard)
        try:
            await asyncio.gather(*pipes)
        except (OSError, asyncio.CancelledError):
            pass
        finally:
            for pipe in pipes:
                pipe.cancel()
            for w in (writer, up_writer):
                self._writers.discard(w)
                w.transport.abort()

    async def _pipe(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, *, up: bool
    ) -> None:
        """Copy ``reader`` to ``writer``, each chunk ``delay`` (and its link time) later."""
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[tuple[float, bytes | None]] = asyncio.Queue(IN_FLIGHT)
        link = self._links[0 if up else 1]

        async def read() -> None:
            end: bytes | None = b""  # b"": the peer closed its side; None: it broke
            try:
                while data := await reader.read(CHUNK):
                    now = loop.time()
                    if self.bandwidth is not None:
                        start = max(now, link.free_at)
                        link.free_at = start + len(data) / self.bandwidth
                        now = link.free_at
                    await queue.put((now + self.delay, data))
            except OSError:
                end = None
            await queue.put((loop.time() + self.delay, end))  # as late as the rest

        reading = asyncio.ensure_future(read())
        try:
            while True:
                due, chunk = await queue.get()
                while (wait := due - loop.time()) > 0:
                    await asyncio.sleep(wait)
                if chunk is None:
                    raise ConnectionResetError("the other side of the proxy broke off")
                if not chunk:
                    if writer.can_write_eof():
                        writer.write_eof()
                    return
                writer.write(chunk)
                await writer.drain()
                if up:
                    self.bytes_up += len(chunk)
                else:
                    self.bytes_down += len(chunk)
        finally:
            reading.cancel()
            with contextlib.suppress(asyncio.CancelledError, OSError):
                await reading

    def stats(self) -> dict[str, int]:
        """The counters: ``bytes_up``, ``bytes_down``, ``connections``."""
        return {
            "bytes_up": self.bytes_up,
            "bytes_down": self.bytes_down,
            "connections": self.connections,
        }


def _main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="A TCP proxy that delays every chunk.")
    parser.add_argument("target", help="HOST:PORT to forward to")
    parser.add_argument("--delay", type=float, default=0.02, help="seconds each way")
    parser.add_argument("--bandwidth", type=float, default=None, help="bytes/s each way")
    args = parser.parse_args(argv)
    host, _, port = args.target.rpartition(":")
    with LatencyProxy(host, int(port), args.delay, bandwidth=args.bandwidth) as proxy:
        print(proxy.address(), flush=True)
        for line in sys.stdin:
            if line.strip() == "stats":
                print(json.dumps(proxy.stats()), flush=True)


if __name__ == "__main__":
    _main()
