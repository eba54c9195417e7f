"""Watch streams over HTTP: one JSON ``{"type": ..., "object": ...}`` per line, one chunk per event.

``GET ...?watch=true&resourceVersion=N`` registers a watch with the model's API server
(:meth:`k8smodel.apiserver.APIServer.watch`, from ``N``: the events after it, or every current object as ``ADDED``
without one). Its callback, called under the model's lock while the writer that changed the object holds it, only
puts the event on a :class:`queue.Queue`; the request's own thread takes them off and writes them, one JSON line per
event, as chunks of a ``Transfer-Encoding: chunked`` response, outside the lock (events already waiting go out
together in one chunk, as upstream flushes only when its channel is empty). The stream ends when the client goes
away, when ``timeoutSeconds`` have passed (wall-clock seconds, as upstream's), or when the server stops; the watch
is then stopped. Upstream: ``staging/src/k8s.io/apiserver/pkg/endpoints/handlers/watch.go`` (``WatchServer.HandleHTTP``)
and ``response.go`` (``watchEncoder``, ``watchEmbeddedEncoder``: with ``as=Table`` each event's object is a
one-row Table, the column definitions only in the first).

A watch from a compacted resourceVersion is answered ``200`` with one ``ERROR`` event whose object is the ``410``
``Expired`` Status, as the watch cache's error watcher answers (a client lists again).

What the model leaves out: bookmarks (``allowWatchBookmarks`` is ignored), ``sendInitialEvents``, websockets,
the server's default random watch timeout (``--min-request-timeout``), slow-consumer termination (the queue
is unbounded).
"""

from __future__ import annotations

import queue
import select
import socket
import ssl
import time
from collections.abc import Callable, Iterator
from typing import Any

import orjson

from k8smodel.serve import tables as table_output
from k8smodel.serve.rest import RestAPI, WatchRequest

Obj = dict[str, Any]
POLL_SECONDS = 0.25  # how often an idle stream checks whether its client is still there


def client_gone(sock: socket.socket) -> bool:
    """Whether the peer closed the connection: the socket is readable and reading gives nothing (a watch client
    sends nothing after its request, so whatever is readable is the end: EOF or TLS's close_notify)."""
    try:
        readable, _, _ = select.select([sock], [], [], 0)
        if not readable:
            return False
        if isinstance(sock, ssl.SSLSocket):
            timeout = sock.gettimeout()
            sock.settimeout(0.01)
            try:
                return sock.recv(1) == b""
            except (ssl.SSLWantReadError, TimeoutError):
                return False
            finally:
                sock.settimeout(timeout)
        return sock.recv(1, socket.MSG_PEEK) == b""
    except (OSError, ValueError):
        return True


class WatchStream:
    """One watch request being served: :meth:`lines` yields each event's encoded line until the end."""

    def __init__(self, rest: RestAPI, request: WatchRequest) -> None:
        self.rest = rest
        self.request = request
        self.queue: queue.Queue[tuple[str, Obj, float] | None] = queue.Queue()
        self.handle: Any = None
        self._headers_sent = False

    def start(self) -> None:
        """Register the watch (raises the request's ``StatusError`` before anything is streamed)."""
        self.handle = self.rest.start_watch(self.request, self._on_event)
        if self.handle is None:
            self.queue.put(None)  # the ERROR event is queued; the stream ends after it

    def _on_event(self, event_type: str, obj: Obj, now: float) -> None:
        self.queue.put((event_type, obj, now))

    def stop(self) -> None:
        self.rest.stop_watch(self.handle)
        self.handle = None

    def encode(self, event_type: str, obj: Obj, now: float) -> bytes:
        """One event as the line the API server writes."""
        if self.request.as_table and event_type != "ERROR":
            obj = table_output.table(
                self.request.kind,
                [obj],
                now,
                resource_version=str(obj.get("metadata", {}).get("resourceVersion", "")),
                include_object=self.request.include_object,
                no_headers=self._headers_sent,
            )
            self._headers_sent = True
        return orjson.dumps({"type": event_type, "object": obj}) + b"\n"

    def lines(self, closed: Callable[[], bool], stopping: Callable[[], bool]) -> Iterator[bytes]:
        """Encoded events as they come, until the client is gone (``closed``), the server stops (``stopping``),
        the timeout passes, or the watch ends."""
        deadline = None
        if self.request.timeout_seconds is not None:
            deadline = time.monotonic() + self.request.timeout_seconds
        while True:
            wait = POLL_SECONDS
            if deadline is not None:
                wait = min(wait, deadline - time.monotonic())
                if wait <= 0:
                    return
            try:
                item = self.queue.get(timeout=wait)
            except queue.Empty:
                if closed() or stopping():
                    return
                continue
            if item is None:
                return
            batch = [self.encode(*item)]
            while len(batch) < 256:
                try:
                    more = self.queue.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    yield b"".join(batch)
                    return
                batch.append(self.encode(*more))
            yield b"".join(batch)


__all__ = ["WatchStream", "client_gone"]
