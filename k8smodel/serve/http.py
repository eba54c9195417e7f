"""The HTTP server: requests in, ``Status`` errors out, never a dropped connection.

A :class:`http.server.ThreadingHTTPServer` (the standard library; one thread per connection, HTTP/1.1 keep-alive,
as kubectl reuses its connections) whose handler reads the request, authenticates its bearer token, hands it to
:class:`k8smodel.serve.rest.RestAPI` and writes the answer. The filters of upstream's handler chain that the model
keeps (``staging/src/k8s.io/apiserver/pkg/server/config.go`` ``DefaultBuildHandlerChain``):

* authentication first (``WithAuthentication``): no token or an unknown one is ``401 Unauthorized``;
* a body over 3 MiB (``maxRequestBodyBytes``, ``3 * 1024 * 1024``) is ``413`` (``limitedReadBody``), unread;
* a panic in a handler becomes ``500 InternalError`` (``WithPanicRecovery``), with the connection kept and the
  server running;
* every ``StatusError`` is written as its ``Status`` with its code (``responsewriters.ErrorNegotiated``).

The path is percent-decoded before it is split (Go's ``r.URL.Path``). What the standard library's parser refuses (a
malformed request line, a URI or header too long, a method no handler serves: ``405``) is answered with a ``Status``
too (:meth:`APIRequestHandler.send_error`). A ``HEAD`` of a watch gets the head only.

What the model leaves out: client certificates, HTTP/2, priority and fairness, audit logging, request timeouts
(``--request-timeout``); TLS is ``tls.py``'s.
"""

from __future__ import annotations

import contextlib
import http.server
import socket
import sys
import threading
import traceback
from typing import Any
from urllib.parse import unquote, urlsplit

import orjson

from k8smodel.api import errors
from k8smodel.api.errors import StatusError
from k8smodel.serve.logs import LOG_CONTENT_TYPE
from k8smodel.serve.rest import (
    MAX_REQUEST_BODY_BYTES,
    LogRequest,
    Response,
    RestAPI,
    WatchRequest,
    request_entity_too_large,
    status_response,
)
from k8smodel.serve.watch import WatchStream, client_gone

LOG_POLL_SECONDS = 0.1  # how often a followed log looks for new lines (wall seconds)
_DRAIN_LIMIT = 64 * 1024 * 1024  # bodies over the limit but under this are read and dropped before the 413


class APIRequestHandler(http.server.BaseHTTPRequestHandler):
    """One connection's requests (``server.rest`` answers them)."""

    protocol_version = "HTTP/1.1"
    server: ModelHTTPServer

    def send_response(self, code: int, message: str | None = None) -> None:
        """The status line and ``Date``, as Go's ``net/http`` writes them: kube-apiserver sends no ``Server`` header
        (``BaseHTTPRequestHandler.send_response`` would add one)."""
        self.log_request(code)
        self.send_response_only(code, message)
        self.send_header("Date", self.date_time_string())

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes: without TCP_NODELAY, Nagle's algorithm holds the body back
        # until the client's delayed ACK of the headers, 40 ms later.
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            super().log_message(format, *args)

    def do_GET(self) -> None:
        self._serve("GET")

    def do_HEAD(self) -> None:
        self._serve("HEAD")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_PUT(self) -> None:
        self._serve("PUT")

    def do_PATCH(self) -> None:
        self._serve("PATCH")

    def do_DELETE(self) -> None:
        self._serve("DELETE")

    def do_OPTIONS(self) -> None:
        self._serve("OPTIONS")

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """What the standard library's parser refuses (a malformed request line, a URI or header too long, an
        HTTP version it does not speak, a method no ``do_*`` serves) is answered with a ``Status`` too, and the
        connection closed (the request's body, if any, was not read). A method the server does not serve is
        ``405 MethodNotAllowed``, as go-restful answers it (the standard library would say ``501``)."""
        if code == 501:
            code, reason = 405, errors.REASON_METHOD_NOT_ALLOWED
            message = f"the server does not allow this method on the requested resource ({self.command})"
        else:
            reasons = {400: errors.REASON_BAD_REQUEST, 414: "RequestURITooLong", 431: "RequestHeaderFieldsTooLarge"}
            reason = reasons.get(code, errors.REASON_BAD_REQUEST if 400 <= code < 500 else "")
            message = message or self.responses.get(code, ("",))[0]
        body = orjson.dumps(StatusError(code, reason, message or "", {}).status())
        with contextlib.suppress(OSError):
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
        self.close_connection = True

    # ---- the pipeline --------------------------------------------------------------------------------------

    def _read_body(self) -> bytes | None:
        """The body, or ``None`` after answering ``413`` (or ``400`` for a bad length)."""
        length_header = self.headers.get("Content-Length")
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            return self._read_chunked()
        if not length_header:
            return b""
        try:
            length = int(length_header)
        except ValueError:
            self._send(status_response(errors.bad_request(f"invalid Content-Length: {length_header!r}")), close=True)
            return None
        if length < 0:
            self._send(status_response(errors.bad_request(f"invalid Content-Length: {length_header!r}")), close=True)
            return None
        if length > MAX_REQUEST_BODY_BYTES:
            # Read (and drop) a body of a sane size first, so the client, still sending, gets to read the answer.
            if length <= _DRAIN_LIMIT:
                left = length
                while left > 0:
                    got = self.rfile.read(min(left, 1 << 20))
                    if not got:
                        break
                    left -= len(got)
            self._send(status_response(request_entity_too_large()), close=True)
            return None
        return self.rfile.read(length)

    def _read_chunked(self) -> bytes | None:
        chunks, total = [], 0
        while True:
            line = self.rfile.readline(65537)
            try:
                size = int(line.split(b";", 1)[0].strip() or b"0", 16)
            except ValueError:
                self._send(status_response(errors.bad_request("malformed chunked encoding")), close=True)
                return None
            if size == 0:
                while self.rfile.readline(65537).strip():
                    pass
                return b"".join(chunks)
            total += size
            if total > MAX_REQUEST_BODY_BYTES:
                self._send(status_response(request_entity_too_large()), close=True)
                return None
            chunks.append(self.rfile.read(size))
            self.rfile.readline(65537)

    def _serve(self, method: str) -> None:
        body = self._read_body()
        if body is None:
            return
        rest = self.server.rest
        try:
            split = urlsplit(self.path)
            headers = {k.lower(): v for k, v in self.headers.items()}
            user = rest.authenticate(headers.get("authorization"))
            user = rest.impersonate(
                user, self.headers.get("Impersonate-User"), self.headers.get_all("Impersonate-Group") or []
            )
            # The path as Go's net/http gives it (r.URL.Path): percent-escapes decoded before it is split.
            path = unquote(split.path, errors="replace")
            result = rest.handle(method, path, split.query, headers, body, user)
        except StatusError as err:
            self._send(status_response(err), head=method == "HEAD")
            return
        except Exception as err:  # WithPanicRecovery: a handler bug is a 500, never a dead server
            if self.server.verbose:
                traceback.print_exc(file=sys.stderr)
            self.server.errors.append(f"{method} {self.path}: {type(err).__name__}: {err}")
            self._send(status_response(errors.internal_error(f"{type(err).__name__}: {err}")), head=method == "HEAD")
            return
        if isinstance(result, WatchRequest):
            self._stream(result, head=method == "HEAD")
            return
        if isinstance(result, LogRequest):
            self._follow_log(result, head=method == "HEAD")
            return
        self._send(result, head=method == "HEAD")

    def _send(self, response: Response, *, head: bool = False, close: bool = False) -> None:
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        self.send_header("Cache-Control", "no-cache, private")
        for name, value in response.headers.items():
            self.send_header(name, value)
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if not head:
            self.wfile.write(response.body)

    def _stream(self, request: WatchRequest, *, head: bool = False) -> None:
        stream = WatchStream(self.server.rest, request)
        try:
            stream.start()
        except StatusError as err:
            self._send(status_response(err), head=head)
            return
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Transfer-Encoding", "chunked")
            self.send_header("Cache-Control", "no-cache, private")
            self.end_headers()
            self.wfile.flush()
            if head:  # the answer to a HEAD has no body: the watch was checked, and ends here
                return
            sock = self.connection
            for data in stream.lines(lambda: client_gone(sock), lambda: self.server.stopping.is_set()):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                self.wfile.flush()
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, OSError):
            self.close_connection = True
        finally:
            stream.stop()

    def _follow_log(self, request: LogRequest, *, head: bool = False) -> None:
        """``kubectl logs -f``: the log as chunks, each new line as soon as the simulated clock reaches it."""
        try:
            self.send_response(200)
            self.send_header("Content-Type", LOG_CONTENT_TYPE)
            self.send_header("Transfer-Encoding", "chunked")
            self.send_header("Cache-Control", "no-cache, private")
            self.end_headers()
            self.wfile.flush()
            if head:
                return
            sock = self.connection
            stopping = self.server.stopping
            for data in request.log.follow(
                lambda: client_gone(sock), stopping.is_set, lambda: stopping.wait(LOG_POLL_SECONDS)
            ):
                if data:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                    self.wfile.flush()
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, OSError):
            self.close_connection = True


class ModelHTTPServer(http.server.ThreadingHTTPServer):
    """The listening socket and the worker threads (daemons: a stopped notebook kernel does not wait for them)."""

    daemon_threads = True
    allow_reuse_address = True
    block_on_close = False

    def __init__(self, address: tuple[str, int], rest: RestAPI, *, verbose: bool = False) -> None:
        self.rest = rest
        self.verbose = verbose
        self.stopping = threading.Event()
        self.errors: list[str] = []  # handler bugs turned into 500s, for tests and the curious
        super().__init__(address, APIRequestHandler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        if self.verbose:
            super().handle_error(request, client_address)


__all__ = ["APIRequestHandler", "ModelHTTPServer"]
