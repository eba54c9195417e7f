"""The kubeconfig ``serve`` writes: where the server is and which bearer token to send.

A kubeconfig (``staging/src/k8s.io/client-go/tools/clientcmd/api/v1/types.go``: ``Config`` with ``clusters``,
``users``, ``contexts`` and ``current-context``) that names the model's server as cluster ``k8smodel``, one user
per token (``token:``, a static bearer token, ``--token-auth-file`` style), and a context for each; the first
user's context is current. The file is written with mode ``0600``, as kubectl writes its own.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Mapping
from pathlib import Path

import yaml

CLUSTER_NAME = "k8smodel"


def context_name(user: str) -> str:
    return f"{user}@{CLUSTER_NAME}"


def kubeconfig(
    server_url: str, users: Mapping[str, str], current: str | None = None, ca_certificate: bytes | None = None
) -> dict:
    """The kubeconfig for ``users`` (name -> token), ``current`` (default: the first) as the current context, and
    ``ca_certificate`` (PEM) as the cluster's ``certificate-authority-data``."""
    names = list(users)
    current = current or (names[0] if names else "")
    cluster: dict = {"server": server_url}
    if ca_certificate:
        cluster["certificate-authority-data"] = base64.b64encode(ca_certificate).decode()
    return {
        "apiVersion": "v1",
        "kind": "Config",
        "preferences": {},
        "clusters": [{"name": CLUSTER_NAME, "cluster": cluster}],
        "users": [{"name": name, "user": {"token": token}} for name, token in users.items()],
        "contexts": [
            {"name": context_name(name), "context": {"cluster": CLUSTER_NAME, "user": name, "namespace": "default"}}
            for name in names
        ],
        "current-context": context_name(current) if current else "",
    }


def write_kubeconfig(
    path: str | Path,
    server_url: str,
    users: Mapping[str, str],
    current: str | None = None,
    ca_certificate: bytes | None = None,
) -> Path:
    """Write the kubeconfig to ``path`` (mode ``0600``) and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(kubeconfig(server_url, users, current, ca_certificate), sort_keys=False)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.chmod(path, 0o600)
    return path


__all__ = ["CLUSTER_NAME", "context_name", "kubeconfig", "write_kubeconfig"]
