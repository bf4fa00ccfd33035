"""A TCP proxy on loopback between the tests and a real engine, that can be cut.

"The engine goes down during the bulk load" is made real without stopping a shared
engine: everything the publisher (and the service) sends goes through this proxy, which
forwards bytes unchanged until told to cut. :meth:`CutProxy.cut_at_bulk` lets ``n`` bulk
requests through and cuts when the next one starts: every open connection is reset and
new ones are refused, exactly what a client sees of an engine whose process died.
:meth:`CutProxy.resume` listens again on the same port (the engine is back).
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading

# The request line of a bulk request, to the cluster or to one index: "POST /_bulk HTTP/1.1",
# "POST /screening-entities-…/_bulk?refresh=false HTTP/1.1".
BULK_MARKERS = (b"/_bulk ", b"/_bulk?")


class CutProxy:
    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.port = 0
        self.bulks = 0
        self.cut_after: int | None = None
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._listener: socket.socket | None = None
        self.cut_happened = threading.Event()
        self.resume()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def resume(self) -> None:
        """Listen (again, on the same port once it had one) and forward."""
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        with self._lock:
            self._listener = listener
            self.cut_after = None
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut_at_bulk(self, passed: int) -> None:
        """Let ``passed`` more bulk requests through, then cut when the next one starts."""
        with self._lock:
            self.cut_after = self.bulks + passed
            self.cut_happened.clear()

    def cut(self) -> None:
        """The engine is gone: reset every connection, refuse new ones."""
        with self._lock:
            listener, self._listener = self._listener, None
            sockets, self._sockets = self._sockets, set()
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.close()
        for sock in sockets:
            with contextlib.suppress(OSError):
                # SO_LINGER 0: close with a reset, as a dead process's kernel does.
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                sock.close()
        self.cut_happened.set()

    close = cut

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # the listener was closed: cut
            try:
                server = socket.create_connection(self.upstream)
            except OSError:
                client.close()
                continue
            with self._lock:
                if self._listener is not listener:
                    client.close()
                    server.close()
                    return
                self._sockets |= {client, server}
            threading.Thread(target=self._pump, args=(client, server, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, False), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket, outbound: bool) -> None:
        tail = b""
        while True:
            try:
                data = source.recv(65536)
            except OSError:
                data = b""
            if not data:
                with contextlib.suppress(OSError):
                    target.shutdown(socket.SHUT_WR)
                return
            if outbound:
                window = tail + data
                started = sum(window.count(marker) for marker in BULK_MARKERS)
                tail = window[1 - len(BULK_MARKERS[0]) :]
                if started:
                    with self._lock:
                        self.bulks += started
                        stop = self.cut_after is not None and self.bulks > self.cut_after
                    if stop:
                        self.cut()
                        return
            try:
                target.sendall(data)
            except OSError:
                return
