"""Authentication: who is making this request?

The first stage of every request. Upstream, ``staging/src/k8s.io/apiserver/pkg/endpoints/filters/authentication.go``
(``WithAuthentication``) asks a chain of authenticators (client certificates, bearer tokens, service account
tokens, ...) for a ``user.Info``; a request whose credentials no authenticator accepts is refused with
``401 Unauthorized`` (the filter's ``apierrors.NewUnauthorized("Unauthorized")``), and a request with no
credentials at all becomes ``system:anonymous`` in the group ``system:unauthenticated``
(``pkg/authentication/request/anonymous/anonymous.go``). Every authenticated user also gets the group
``system:authenticated`` (``pkg/authentication/group/authenticated_group_adder.go``).

The model has the two token authenticators a CKA student meets:

* static bearer tokens (``--token-auth-file``, ``pkg/authentication/token/tokenfile/tokenfile.go``): a token maps
  to a user name and groups;
* service account tokens (``pkg/serviceaccount/jwt.go``, ``util.go``): a token names a ServiceAccount, whose user
  name is ``system:serviceaccount:<namespace>:<name>`` and whose groups are ``system:serviceaccounts`` and
  ``system:serviceaccounts:<namespace>``. The token is accepted only while that ServiceAccount still exists
  with the same uid (the check ``validator.Validate`` makes against the API server's own storage).

What the model leaves out: client certificates are not modelled as such; a caller that passes a :class:`UserInfo`
directly is trusted, as the API server trusts the subject of a certificate its CA signed (this is how the model's
own components, and ``kubectl`` with ``admin.conf``, talk to it). Tokens are opaque random strings, not signed
JWTs; there are no expirations, audiences, bound objects (Pods, Secrets), webhook or OIDC authenticators,
impersonation, or ``extra`` user fields.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from k8smodel.api import errors

ANONYMOUS_USER = "system:anonymous"
UNAUTHENTICATED_GROUP = "system:unauthenticated"
AUTHENTICATED_GROUP = "system:authenticated"
MASTERS_GROUP = "system:masters"  # user.SystemPrivilegedGroup
SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:"
SERVICE_ACCOUNTS_GROUP = "system:serviceaccounts"


@dataclass(frozen=True, slots=True)
class UserInfo:
    """``user.Info``: a user name and the groups it belongs to."""

    name: str
    groups: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.groups, tuple):
            object.__setattr__(self, "groups", tuple(self.groups))


ANONYMOUS = UserInfo(ANONYMOUS_USER, (UNAUTHENTICATED_GROUP,))
"""Who a request without credentials is (``anonymous.go``)."""

ADMIN = UserInfo("kubernetes-admin", (MASTERS_GROUP, AUTHENTICATED_GROUP))
"""The user of kubeadm's ``admin.conf``: in ``system:masters``, so every request is allowed."""


NODES_GROUP = "system:nodes"
NODE_USER_PREFIX = "system:node:"

KUBE_SCHEDULER = UserInfo("system:kube-scheduler", (AUTHENTICATED_GROUP, MASTERS_GROUP))
"""Who kube-scheduler is (``user.KubeScheduler``, the identity in its kubeconfig). Upstream the bootstrap
ClusterRole ``system:kube-scheduler`` authorizes it; the model's RBAC has only ``cluster-admin``, so the scheduler is
also put in ``system:masters``."""


def node_user(node_name: str) -> UserInfo:
    """Who the kubelet of ``node_name`` is: ``system:node:<nodeName>`` in ``system:nodes``, the identity of its client
    certificate. Upstream the Node authorizer and the NodeRestriction admission plugin limit it to its own Node, its
    Lease and the Pods bound to it; the model has neither, so the kubelet is also put in ``system:masters``."""
    return UserInfo(f"{NODE_USER_PREFIX}{node_name}", (NODES_GROUP, AUTHENTICATED_GROUP, MASTERS_GROUP))


def service_account_username(namespace: str, name: str) -> str:
    """``serviceaccount.MakeUsername``: ``system:serviceaccount:<namespace>:<name>``."""
    return f"{SERVICE_ACCOUNT_PREFIX}{namespace}:{name}"


def split_service_account_username(username: str) -> tuple[str, str] | None:
    """``serviceaccount.SplitUsername``: (namespace, name) of a service account user name, else ``None``."""
    if not username.startswith(SERVICE_ACCOUNT_PREFIX):
        return None
    namespace, sep, name = username[len(SERVICE_ACCOUNT_PREFIX) :].partition(":")
    if not sep or not namespace or not name or ":" in name:
        return None
    return namespace, name


def service_account_user(namespace: str, name: str) -> UserInfo:
    """``serviceaccount.UserInfo``: the user a service account token authenticates as."""
    return UserInfo(
        service_account_username(namespace, name),
        (SERVICE_ACCOUNTS_GROUP, f"{SERVICE_ACCOUNTS_GROUP}:{namespace}", AUTHENTICATED_GROUP),
    )


_TOKEN_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


class Authenticator:
    """The token authenticators, in upstream's order: static tokens, then service account tokens.

    ``service_account_uid(namespace, name)`` looks the ServiceAccount up in the API server's storage and returns
    its uid, or ``None`` if it does not exist; ``rng`` draws the tokens :meth:`issue_service_account_token` issues.
    """

    def __init__(
        self,
        static_tokens: Mapping[str, UserInfo] | None = None,
        *,
        service_account_uid: Callable[[str, str], str | None] | None = None,
        rng: object = None,
    ) -> None:
        self._static: dict[str, UserInfo] = {}
        for token, user in (static_tokens or {}).items():
            self.add_token(token, user)
        self._sa_tokens: dict[str, tuple[str, str, str]] = {}
        self._sa_uid = service_account_uid
        self._rng = rng

    def add_token(self, token: str, user: UserInfo | str, groups: tuple[str, ...] = ()) -> None:
        """Add a line of a ``--token-auth-file``: ``token,user,uid,"group1,group2"``."""
        if isinstance(user, str):
            user = UserInfo(user, groups)
        if AUTHENTICATED_GROUP not in user.groups:
            user = UserInfo(user.name, (*user.groups, AUTHENTICATED_GROUP))
        self._static[token] = user

    def issue_service_account_token(self, namespace: str, name: str, uid: str) -> str:
        """A token for ServiceAccount ``namespace/name`` (what the TokenRequest API hands a Pod)."""
        rng = self._rng
        token = "sa-" + "".join(rng.choice(_TOKEN_ALPHABET) for _ in range(32))  # type: ignore[attr-defined]
        self._sa_tokens[token] = (namespace, name, uid)
        return token

    def authenticate(self, token: str | None) -> UserInfo:
        """The user a bearer token stands for; ``system:anonymous`` without one; 401 for an unknown token."""
        if token is None or token == "":
            return ANONYMOUS
        user = self._static.get(token)
        if user is not None:
            return user
        sa = self._sa_tokens.get(token)
        if sa is not None:
            namespace, name, uid = sa
            if self._sa_uid is None or self._sa_uid(namespace, name) == uid:
                return service_account_user(namespace, name)
        raise errors.unauthorized("Unauthorized")


__all__ = [
    "ADMIN",
    "ANONYMOUS",
    "ANONYMOUS_USER",
    "AUTHENTICATED_GROUP",
    "MASTERS_GROUP",
    "Authenticator",
    "UserInfo",
    "service_account_user",
    "service_account_username",
    "split_service_account_username",
]
