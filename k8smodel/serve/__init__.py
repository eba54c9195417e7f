"""Serve a simulated cluster over HTTP, so the real ``kubectl`` (or any Kubernetes client) can drive it.

::

    from k8smodel import Cluster
    from k8smodel.serve import serve

    cluster = Cluster(seed=0)
    cluster.add_nodes(3)
    with serve(cluster, port=6443, speed=10) as server:   # cluster.serve(...) once the lead wires it
        print(f"export KUBECONFIG={server.kubeconfig_path}")
        ...                                               # kubectl get nodes, kubectl apply -f web.yaml, ...

The pieces, one module each: ``routes.py`` (URL paths to resources), ``rest.py`` (the verbs: get, list, create,
update, patch, delete, deletecollection, the subresources), ``watch.py`` (chunked watch streams), ``tables.py``
(server-side ``Table`` output for ``kubectl get``), ``discovery.py`` (``/version``, ``/api``, ``/apis``, the OpenAPI
v3 documents), ``patch.py`` (JSON patch and strategic merge patch), ``http.py`` (the HTTP server: authentication,
body limit, errors as ``Status``), ``logs.py`` (``pods/log``: ``kubectl logs``, asked of the node's kubelet),
``clock.py`` (the live clock), ``kubeconfig.py``, ``tls.py``.

Time: a cluster made for serving can start its simulated clock at the wall clock's time
(``Cluster(seed, start=...)``; ``python -m k8smodel serve`` does, ``--start``), so that the ages kubectl computes
from the wall clock (``describe``, ``get -w``) agree with those the server prints; notebooks keep
:data:`k8smodel.sim.EPOCH`.

Concurrency: the model is single-threaded, so one :class:`threading.RLock` (``server.lock``) guards every touch of
the cluster: each request, the live clock's steps, watch registrations. Watch events are queued under the lock and
written by each watch's own thread outside it. Code that changes the cluster while it is served (a notebook cell)
takes ``server.lock`` too, or calls :meth:`Server.run_for`, :meth:`Server.locked`.

Identity: ``serve`` adds a static bearer token (``--token-auth-file`` style) for ``kubernetes-admin`` in
``system:masters`` and writes a kubeconfig with it; :meth:`Server.add_user` adds more users (with their own
context in the kubeconfig), whom RBAC then governs as any other. Requests without a valid token get ``401``.

What the model leaves out: client certificates and ``kubectl proxy``-style anonymous access; see each module's own
list.
"""

from __future__ import annotations

import contextlib
import secrets
import shutil
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from k8smodel.apiserver.authn import AUTHENTICATED_GROUP, MASTERS_GROUP, UserInfo
from k8smodel.serve.clock import LiveClock
from k8smodel.serve.http import ModelHTTPServer
from k8smodel.serve.kubeconfig import context_name, write_kubeconfig
from k8smodel.serve.rest import RestAPI
from k8smodel.serve.tls import client_context, make_certificate, server_context

ADMIN_USER = "kubernetes-admin"


class Server:
    """A cluster being served: ``url``, ``kubeconfig_path``, ``token`` (the admin's), ``lock``; :meth:`stop`
    (also on leaving a ``with`` block)."""

    def __init__(
        self,
        cluster: Any,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        speed: float = 1.0,
        kubeconfig_path: str | Path | None = None,
        token: str | None = None,
        verbose: bool = False,
        start_control_plane: bool = True,
        tls: bool = True,
    ) -> None:
        self.cluster = cluster
        self.lock = threading.RLock()
        self.speed = float(speed)
        self.token = token or secrets.token_hex(16)  # a credential, not a simulated value: never from the seed
        self._users: dict[str, str] = {}
        self._tempdir = tempfile.mkdtemp(prefix="k8smodel-serve-")  # the certificate, and the default kubeconfig
        self.rest = RestAPI(cluster, self.lock)
        self.http = ModelHTTPServer((host, port), self.rest, verbose=verbose)
        bound_host, bound_port = self.http.server_address[:2]
        self.host, self.port = str(bound_host), int(bound_port)
        self.rest.server_address = f"{self.host}:{self.port}"
        self.certificate: Path | None = None
        if tls:
            try:
                self.certificate, key = make_certificate(self._tempdir, [self.host])
            except Exception:
                self.http.server_close()
                shutil.rmtree(self._tempdir, ignore_errors=True)
                raise
            self.http.socket = server_context(self.certificate, key).wrap_socket(
                self.http.socket, server_side=True, do_handshake_on_connect=False
            )
        self.url = f"{'https' if tls else 'http'}://{self.host}:{self.port}"
        if kubeconfig_path is None:
            kubeconfig_path = Path(self._tempdir) / "kubeconfig"
        self.kubeconfig_path = Path(kubeconfig_path)
        with self.lock:
            if start_control_plane:
                cluster.start_control_plane()
            self._register(ADMIN_USER, self.token, (MASTERS_GROUP, AUTHENTICATED_GROUP))
        self.clock: LiveClock | None = LiveClock(cluster, self.lock, self.speed) if self.speed > 0 else None
        self._thread = threading.Thread(
            target=self.http.serve_forever, kwargs={"poll_interval": 0.1}, name="k8smodel-serve", daemon=True
        )
        self._thread.start()
        if self.clock is not None:
            self.clock.start()
        self._stopped = False

    # ---- users ---------------------------------------------------------------------------------------------

    def _register(self, name: str, token: str, groups: tuple[str, ...]) -> None:
        self.cluster.api.authenticator.add_token(token, UserInfo(name, groups))
        self._users[name] = token
        ca = self.certificate.read_bytes() if self.certificate is not None else None
        write_kubeconfig(self.kubeconfig_path, self.url, self._users, ADMIN_USER, ca)

    def add_user(self, name: str, groups: tuple[str, ...] | list[str] = (), *, token: str | None = None) -> str:
        """Give user ``name`` (in ``groups`` and ``system:authenticated``) a bearer token and a kubeconfig context
        (``kubectl --context=<name>@k8smodel``); return the token. RBAC decides what the user may do."""
        if not name or not isinstance(name, str):
            raise ValueError(f"add_user: a user name, not {name!r}")
        token = token or secrets.token_hex(16)
        with self.lock:
            self._register(name, token, (*groups, AUTHENTICATED_GROUP))
        return token

    def context(self, user: str = ADMIN_USER) -> str:
        """The kubeconfig context of ``user``."""
        if user not in self._users:
            raise KeyError(f"no user {user!r} in the kubeconfig (add_user first)")
        return context_name(user)

    # ---- time and the lock ---------------------------------------------------------------------------------

    @contextlib.contextmanager
    def locked(self) -> Iterator[Any]:
        """``with server.locked() as cluster:`` — change the served cluster from Python, between requests."""
        with self.lock:
            yield self.cluster

    def run_for(self, duration: float | str) -> None:
        """Advance the simulated clock by ``duration`` under the lock (the way to move time when ``speed=0``)."""
        with self.lock:
            self.cluster.run_for(duration)

    def ssl_context(self) -> Any:
        """An ``ssl.SSLContext`` that trusts this server's certificate (``None`` without TLS), for Python clients."""
        return client_context(self.certificate) if self.certificate is not None else None

    @property
    def errors(self) -> list[str]:
        """Handler bugs that became ``500`` answers, and live-clock errors (both empty when all is well)."""
        return [*self.http.errors, *(self.clock.errors if self.clock else [])]

    # ---- lifetime ------------------------------------------------------------------------------------------

    def stop(self) -> None:
        """Stop the clock and the server; open watches end within a quarter of a second."""
        if self._stopped:
            return
        self._stopped = True
        self.http.stopping.set()
        if self.clock is not None:
            self.clock.stop()
        self.http.shutdown()
        self.http.server_close()
        self._thread.join(timeout=5)
        shutil.rmtree(self._tempdir, ignore_errors=True)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "stopped" if self._stopped else f"speed={self.speed:g}"
        return f"Server({self.url}, {state}, kubeconfig={str(self.kubeconfig_path)!r})"


def serve(
    cluster: Any,
    port: int = 0,
    speed: float = 1.0,
    host: str = "127.0.0.1",
    *,
    kubeconfig_path: str | Path | None = None,
    token: str | None = None,
    verbose: bool = False,
    tls: bool = True,
) -> Server:
    """Serve ``cluster`` on ``host:port`` (``port=0``: any free port) and return the running :class:`Server`.

    ``speed`` is simulated seconds per wall second (``0``: no live clock; time moves only with
    :meth:`Server.run_for`). The kubeconfig goes to ``kubeconfig_path`` (default: a private temporary directory,
    removed on :meth:`Server.stop`). With ``tls`` (the default) the server speaks HTTPS with a self-signed
    certificate that the kubeconfig trusts: kubectl sends a token over TLS only."""
    return Server(
        cluster,
        host=host,
        port=port,
        speed=speed,
        kubeconfig_path=kubeconfig_path,
        token=token,
        verbose=verbose,
        tls=tls,
    )


__all__ = ["ADMIN_USER", "Server", "serve"]
